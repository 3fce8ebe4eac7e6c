package dev.otelretention.examples.redeploy;

import com.zaxxer.hikari.HikariDataSource;
import dev.otelretention.TelemetryRetention;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One request: a server span around a query through the monitored pool, and a log line. */
public final class ShopServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger logger = LoggerFactory.getLogger(ShopServlet.class);

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    TelemetryRetention telemetry =
        (TelemetryRetention) getServletContext().getAttribute(ShopApplication.TELEMETRY);
    HikariDataSource dataSource =
        (HikariDataSource) getServletContext().getAttribute(ShopApplication.DATA_SOURCE);
    Span span =
        telemetry
            .openTelemetry()
            .getTracer("shop")
            .spanBuilder("GET /cart")
            .setSpanKind(SpanKind.SERVER)
            .startSpan();
    try (Scope ignored = span.makeCurrent();
        Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT 40 + 2")) {
      result.next();
      logger.info("cart served");
      response.getWriter().print(result.getInt(1));
    } catch (SQLException e) {
      response.sendError(500, e.getMessage());
    } finally {
      span.end();
    }
  }
}
