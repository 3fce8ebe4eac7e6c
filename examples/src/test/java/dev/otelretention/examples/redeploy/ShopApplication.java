package dev.otelretention.examples.redeploy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.hikaricp.PoolMonitoring;
import dev.otelretention.logs.ApplicationLogs;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;

/**
 * A web application as users write one: at start it builds the telemetry (rotating files, its
 * Logback logs captured) and a HikariCP pool that the library monitors; at undeploy it closes them.
 * Deployed from {@code WEB-INF/classes} with the library in {@code WEB-INF/lib}, so that every
 * deployment loads the library in a class loader of its own, as a servlet container does.
 */
public final class ShopApplication implements ServletContextListener {
  static final String TELEMETRY = "shop.telemetry";
  static final String DATA_SOURCE = "shop.dataSource";
  private static final String MONITORING = "shop.poolMonitoring";

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    Path directory = Path.of(context.getInitParameter("telemetry.directory"));
    TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of("OTEL_SERVICE_NAME", "redeployed-shop")))
            .addSink(RotatingFileExporters.builder().directory(directory).buildSink())
            .captureApplicationLogs(ApplicationLogs.Framework.LOGBACK)
            .batchTimeout(Duration.ofMillis(50))
            .build();
    PoolMonitoring monitoring = PoolMonitoring.builder(telemetry.openTelemetry()).build();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:shop-" + context.getContextPath().replace('/', '-'));
    config.setPoolName("shop-db");
    // the driver of this application's own class loader, as in a container
    config.setDriverClassName("org.h2.Driver");
    config.setMaximumPoolSize(2);
    HikariDataSource dataSource = new HikariDataSource(monitoring.configure(config));
    monitoring.instrument(dataSource);
    context.setAttribute(TELEMETRY, telemetry);
    context.setAttribute(MONITORING, monitoring);
    context.setAttribute(DATA_SOURCE, dataSource);
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    if (context.getAttribute(TELEMETRY) == null) {
      return; // the start failed before anything was made
    }
    ((PoolMonitoring) context.getAttribute(MONITORING)).close();
    ((HikariDataSource) context.getAttribute(DATA_SOURCE)).close();
    ((TelemetryRetention) context.getAttribute(TELEMETRY)).close();
    // what every web application that brings a JDBC driver does; not the library's part
    for (Driver driver : Collections.list(DriverManager.getDrivers())) {
      if (driver.getClass().getClassLoader() == getClass().getClassLoader()) {
        try {
          DriverManager.deregisterDriver(driver);
        } catch (SQLException e) {
          context.log("could not deregister " + driver, e);
        }
      }
    }
  }
}
