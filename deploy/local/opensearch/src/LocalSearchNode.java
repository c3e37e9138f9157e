import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * Starts one OpenSearch node for the local stack and keeps it running until the JVM is told to stop.
 *
 * <p>Arguments: {@code <basePath> <clusterName> <httpPort>}. The node's settings come from
 * {@code <basePath>/node_1/config/opensearch.yml}, written by the stack before the start.
 *
 * <p>Compared with the runner's own entry point this one binds exactly the requested HTTP port (a busy
 * port is an error, never a silent move to the next one) and prints why a start failed instead of
 * exiting with status 1 and no message.
 */
public final class LocalSearchNode {
  private LocalSearchNode() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 3) {
      System.err.println("usage: LocalSearchNode <basePath> <clusterName> <httpPort>");
      System.exit(2);
    }
    int httpPort = Integer.parseInt(args[2]);
    OpenSearchRunner runner = new OpenSearchRunner();
    // A negative maximum makes the runner use baseHttpPort + node number as is, without probing.
    runner.setMaxHttpPort(-1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(runner), "local-search-node-stop"));
    try {
      runner.build(
          "-basePath", args[0],
          "-clusterName", args[1],
          "-numOfNode", "1",
          "-baseHttpPort", Integer.toString(httpPort - 1));
    } catch (RuntimeException e) {
      printCauses(e);
      System.exit(1);
    }
    System.out.println("local search node started on 127.0.0.1:" + httpPort);
    while (!runner.isClosed()) {
      Thread.sleep(5_000L);
    }
  }

  private static void closeQuietly(OpenSearchRunner runner) {
    try {
      runner.close();
    } catch (Exception e) {
      System.err.println("local search node: error while stopping: " + e);
    }
  }

  private static void printCauses(Throwable error) {
    System.err.println("local search node failed to start:");
    for (Throwable t = error; t != null; t = t.getCause()) {
      System.err.println("  " + t);
    }
  }
}
