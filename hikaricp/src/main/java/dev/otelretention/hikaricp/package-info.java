/** Connection pool monitoring for HikariCP, by the design note's pool metrics. */
package dev.otelretention.hikaricp;
