// End-to-end latency at a fixed rate, with Kafka's own Java clients (bench/lib/workloads.mjs runs it
// against both systems). One JVM holds the producer and the consumer, so both read the same clock:
// each value starts with System.nanoTime() at send and a sequence number; the consumer subtracts.
//
// Why not org.apache.kafka.tools.EndToEndLatency: it keeps one record in flight (send, wait, poll), so
// its rate is whatever the latency allows rather than a fixed one, it busy-polls with
// fetch.max.wait.ms=0, and it records whole milliseconds, which turns sub-millisecond latencies into 0.
//
// Args: bootstrap topic ratePerSecond seconds warmupSeconds recordSize acks
// Prints one line: RESULT sent=.. received=.. errors=.. p50_us=.. p99_us=.. p999_us=.. max_us=.. mean_us=.. rate=..
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public final class FixedRateLatency {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    int rate = Integer.parseInt(args[2]);
    double seconds = Double.parseDouble(args[3]);
    double warmupSeconds = Double.parseDouble(args[4]);
    int recordSize = Math.max(16, Integer.parseInt(args[5]));
    String acks = args[6];

    long warmup = Math.round(rate * warmupSeconds);
    long total = warmup + Math.round(rate * seconds);
    long[] latencies = new long[(int) (total - warmup)];
    AtomicLong received = new AtomicLong();
    AtomicLong measured = new AtomicLong();
    AtomicLong sendErrors = new AtomicLong();
    CountDownLatch positioned = new CountDownLatch(1);
    AtomicBoolean stop = new AtomicBoolean();

    Thread consumerThread = new Thread(() -> {
      Properties cp = new Properties();
      cp.put("bootstrap.servers", bootstrap);
      cp.put("enable.auto.commit", "false");
      cp.put("auto.offset.reset", "latest");
      cp.put("key.deserializer", ByteArrayDeserializer.class.getName());
      cp.put("value.deserializer", ByteArrayDeserializer.class.getName());
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp)) {
        List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(topic)) tps.add(new TopicPartition(topic, p.partition()));
        consumer.assign(tps);
        consumer.seekToEnd(tps);
        for (TopicPartition tp : tps) consumer.position(tp);
        positioned.countDown();
        while (!stop.get()) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            long now = System.nanoTime();
            ByteBuffer b = ByteBuffer.wrap(r.value());
            long sentAt = b.getLong(0);
            long seq = b.getLong(8);
            received.incrementAndGet();
            if (seq >= warmup && seq < total) {
              latencies[(int) (seq - warmup)] = now - sentAt;
              measured.incrementAndGet();
            }
          }
        }
      }
    }, "consumer");
    consumerThread.start();
    positioned.await();

    Properties pp = new Properties();
    pp.put("bootstrap.servers", bootstrap);
    pp.put("acks", acks);
    pp.put("linger.ms", "0");
    pp.put("key.serializer", ByteArraySerializer.class.getName());
    pp.put("value.serializer", ByteArraySerializer.class.getName());
    long started;
    long finished;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp)) {
      producer.partitionsFor(topic); // metadata before the clock starts
      long periodNs = 1_000_000_000L / rate;
      started = System.nanoTime();
      for (long i = 0; i < total; i++) {
        long target = started + i * periodNs;
        long now;
        while ((now = System.nanoTime()) < target) LockSupport.parkNanos(target - now);
        byte[] value = new byte[recordSize];
        ByteBuffer.wrap(value).putLong(0, System.nanoTime()).putLong(8, i);
        producer.send(new ProducerRecord<>(topic, value), (md, e) -> {
          if (e != null) sendErrors.incrementAndGet();
        });
      }
      producer.flush();
      finished = System.nanoTime();
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (received.get() < total - sendErrors.get() && System.nanoTime() < deadline) Thread.sleep(10);
    stop.set(true);
    consumerThread.join();

    int n = (int) measured.get();
    long[] got = new long[n];
    int k = 0;
    for (long l : latencies) if (l > 0 && k < n) got[k++] = l;
    Arrays.sort(got, 0, k);
    double sum = 0;
    for (int i = 0; i < k; i++) sum += got[i];
    System.out.printf(
        "RESULT sent=%d received=%d errors=%d p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f mean_us=%.1f rate=%.1f%n",
        total, received.get(), sendErrors.get(), pct(got, k, 0.5), pct(got, k, 0.99), pct(got, k, 0.999),
        k > 0 ? got[k - 1] / 1000.0 : 0.0, k > 0 ? sum / k / 1000.0 : 0.0, total / ((finished - started) / 1e9));
  }

  /** Nearest-rank percentile in microseconds. */
  private static double pct(long[] sorted, int n, double q) {
    if (n == 0) return 0.0;
    int rank = (int) Math.min(n, Math.max(1, Math.ceil(q * n)));
    return sorted[rank - 1] / 1000.0;
  }
}
