package dev.otelretention.hikaricp;

import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/** Threads that borrow connections, run a query, hold them for a while and give them back. */
final class PoolWorkload {
  final AtomicLong checkouts = new AtomicLong();
  final AtomicLong timeouts = new AtomicLong();

  void run(DataSource dataSource, int threads, int borrowsPerThread, long holdMillis)
      throws InterruptedException {
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                for (int i = 0; i < borrowsPerThread; i++) {
                  try (Connection connection = dataSource.getConnection();
                      Statement statement = connection.createStatement()) {
                    checkouts.incrementAndGet();
                    statement.execute("SELECT 1");
                    Thread.sleep(holdMillis);
                  } catch (SQLTransientConnectionException e) {
                    timeouts.incrementAndGet();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }
              });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
  }
}
