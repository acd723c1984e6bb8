package dev.recall.sample.demo;

import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The server-side figures of the seed's list that a client cannot see: CPU load, threads in use and heap,
 * read once a second over the service's JMX port while the load runs. Its fields are written by its own
 * sampling thread and read after {@link #stop()}, which waits for that thread.
 */
final class ServerMonitor implements AutoCloseable {

    /** What the service used during the measured phase. */
    record Usage(double averageCpu, double peakCpu, int peakThreads, long peakHeapBytes, int samples) {
        String describe() {
            return String.format(Locale.ROOT, "CPU %.0f%% average, %.0f%% peak; %d threads peak; heap %.0f MB peak",
                    averageCpu * 100, peakCpu * 100, peakThreads, peakHeapBytes / 1e6);
        }
    }

    private final JMXConnector connector;
    private final MBeanServerConnection mbs;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-server-monitor");
        t.setDaemon(true);
        return t;
    });
    private double cpuTotal;
    private double cpuPeak;
    private int cpuSamples;
    private int peakThreads;
    private long peakHeap;

    private ServerMonitor(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.mbs = connector.getMBeanServerConnection();
    }

    static ServerMonitor connect(int jmxPort) throws Exception {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return new ServerMonitor(JMXConnectorFactory.connect(url));
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(200);
            }
        }
    }

    MBeanServerConnection connection() {
        return mbs;
    }

    void start() {
        sampler.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    private void sample() {
        try {
            double cpu = (Double) mbs.getAttribute(new ObjectName("java.lang:type=OperatingSystem"), "ProcessCpuLoad");
            if (cpu >= 0) {
                cpuTotal += cpu;
                cpuPeak = Math.max(cpuPeak, cpu);
                cpuSamples++;
            }
            peakThreads = Math.max(peakThreads, (Integer) mbs.getAttribute(new ObjectName("java.lang:type=Threading"), "ThreadCount"));
            CompositeData heap = (CompositeData) mbs.getAttribute(new ObjectName("java.lang:type=Memory"), "HeapMemoryUsage");
            peakHeap = Math.max(peakHeap, MemoryUsage.from(heap).getUsed());
        } catch (Exception e) {
            // A missed sample is not worth failing the demo for; the count of samples shows it.
        }
    }

    Usage stop() throws InterruptedException {
        sampler.shutdown();
        sampler.awaitTermination(5, TimeUnit.SECONDS);
        return new Usage(cpuSamples == 0 ? 0 : cpuTotal / cpuSamples, cpuPeak, peakThreads, peakHeap, cpuSamples);
    }

    @Override
    public void close() throws IOException {
        sampler.shutdownNow();
        connector.close();
    }
}
