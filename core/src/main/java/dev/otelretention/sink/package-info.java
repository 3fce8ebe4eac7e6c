/** The sink SPI: what an exporter module implements and what core hands it. */
package dev.otelretention.sink;
