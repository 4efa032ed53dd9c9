// The Java kafka-clients of Apache Kafka 4.x for the failover tests (tests/interop/failover.test.ts).
// Compiled by the test with javac against the cached Kafka jars; run with `java -cp <classes>:<libs>/* FailoverClient`.
//
// Usage: FailoverClient load|steps --bootstrap H:P --topic T [--id ID] [--count N] [--rate R] [--progress N]
//                      [--acks-file F] [--partition P] [--partitions N] [--config NAME=VALUE]... [--timeout SECONDS]
//
// Producer defaults are kept unless --config says otherwise: acks=all, enable.idempotence=true, the built-in
// murmur2 partitioner. Record layout and the steps protocol are those of tests/interop/clients/failover_common.py:
//   load   connects, prints {"event":"waiting"} and waits for a line "go" on stdin; then sends --count records
//          keyed <id>-<seq 6 digits> (values <id>|<seq>|<filler>), at most --rate a second; prints
//          {"event":"progress","acked":N,"failed":M} every --progress acks, writes "seq partition offset" per
//          acknowledged record (in callback order) to --acks-file and prints {"event":"done",...} last.
//   steps  reads commands on stdin (send TAG N | read | quit) and answers each with one JSON line.
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.AppInfoParser;

public final class FailoverClient {
    private static final String FILLER = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String CLIENT_ID = "eddy-failover-java";

    private String mode;
    private String bootstrap;
    private String topic;
    private String id = "j";
    private int count = 100_000;
    private double rate = 0;
    private int progress = 2000;
    private String acksFile;
    private int partition = -1;
    private int partitions = 3;
    private final Map<String, String> config = new TreeMap<>();
    private long timeoutMs = 90_000;

    public static void main(String[] args) throws Exception {
        FailoverClient c = new FailoverClient();
        c.mode = args[0];
        for (int i = 1; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--bootstrap": c.bootstrap = v; break;
                case "--topic": c.topic = v; break;
                case "--id": c.id = v; break;
                case "--count": c.count = Integer.parseInt(v); break;
                case "--rate": c.rate = Double.parseDouble(v); break;
                case "--progress": c.progress = Integer.parseInt(v); break;
                case "--acks-file": c.acksFile = v; break;
                case "--partition": c.partition = Integer.parseInt(v); break;
                case "--partitions": c.partitions = Integer.parseInt(v); break;
                case "--timeout": c.timeoutMs = (long) (Double.parseDouble(v) * 1000); break;
                case "--config": {
                    int eq = v.indexOf('=');
                    c.config.put(v.substring(0, eq), v.substring(eq + 1));
                    break;
                }
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        switch (c.mode) {
            case "load": c.load(); break;
            case "steps": c.steps(); break;
            default: throw new IllegalArgumentException("unknown mode " + c.mode);
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        p.putAll(config);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static synchronized void emit(String json) {
        System.out.println(json);
        System.out.flush();
    }

    private static String errorName(Exception e) {
        return e.getClass().getSimpleName();
    }

    // ---------------------------------------------------------------------------------------------

    private void load() throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        // Callbacks run on the producer's single I/O thread, in order; `lock` publishes them to main.
        final Object lock = new Object();
        final int[] ackSeq = new int[count];
        final int[] ackPartition = new int[count];
        final long[] ackOffset = new long[count];
        final int[] n = new int[2]; // acked, failed
        final Map<String, Integer> errors = new TreeMap<>();
        CountDownLatch all = new CountDownLatch(count);
        long started;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            // Connected and the topic's metadata known: then wait for the test's signal to start.
            producer.partitionsFor(topic);
            emit("{\"event\":\"waiting\"}");
            String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (!"go".equals(go == null ? null : go.trim())) throw new IllegalStateException("expected go, got " + go);
            started = System.nanoTime();
            for (int seq = 0; seq < count; seq++) {
                if (rate > 0) {
                    long due = started + (long) (seq * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                }
                final int s = seq;
                byte[] key = String.format("%s-%06d", id, seq).getBytes(StandardCharsets.UTF_8);
                byte[] value = (id + "|" + seq + "|" + FILLER).getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic, key, value), (md, e) -> {
                    int done;
                    synchronized (lock) {
                        if (e == null) {
                            int k = n[0]++;
                            ackSeq[k] = s;
                            ackPartition[k] = md.partition();
                            ackOffset[k] = md.offset();
                        } else {
                            n[1]++;
                            errors.merge(errorName(e), 1, Integer::sum);
                        }
                        done = n[0] + n[1];
                        if (done % progress == 0) {
                            emit("{\"event\":\"progress\",\"acked\":" + n[0] + ",\"failed\":" + n[1] + "}");
                        }
                    }
                    all.countDown();
                });
            }
            all.await(Math.max(0, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            producer.close(Duration.ofSeconds(5));
        }
        StringBuilder errs = new StringBuilder();
        int acked;
        int failed;
        synchronized (lock) {
            acked = n[0];
            failed = n[1];
            try (BufferedWriter w = Files.newBufferedWriter(Paths.get(acksFile), StandardCharsets.UTF_8)) {
                for (int k = 0; k < acked; k++) {
                    w.write(ackSeq[k] + " " + ackPartition[k] + " " + ackOffset[k] + "\n");
                }
            }
            for (Map.Entry<String, Integer> e : errors.entrySet()) {
                if (errs.length() > 0) errs.append(',');
                errs.append('"').append(e.getKey()).append("\":").append(e.getValue());
            }
        }
        emit("{\"event\":\"done\",\"client\":\"java\",\"version\":\"" + AppInfoParser.getVersion() + "\",\"acked\":" + acked
            + ",\"failed\":" + failed + ",\"errors\":{" + errs + "},\"pending\":" + (count - acked - failed)
            + ",\"ms\":" + (System.nanoTime() - started) / 1_000_000 + "}");
    }

    // ---------------------------------------------------------------------------------------------

    private void steps() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            emit("{\"event\":\"ready\",\"client\":\"java\",\"version\":\"" + AppInfoParser.getVersion() + "\"}");
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.trim().split("\\s+");
                if (w.length == 0 || w[0].isEmpty()) continue;
                try {
                    if (w[0].equals("send")) {
                        emit(send(producer, w[1], Integer.parseInt(w[2])));
                    } else if (w[0].equals("read")) {
                        emit(read());
                    } else if (w[0].equals("quit")) {
                        break;
                    } else {
                        emit("{\"event\":\"error\",\"message\":" + quote("unknown command " + line) + "}");
                    }
                } catch (Exception e) {
                    emit("{\"event\":\"error\",\"message\":" + quote(e.toString()) + "}");
                }
            }
            producer.close(Duration.ofSeconds(5));
        }
        emit("{\"event\":\"bye\"}");
    }

    private String send(KafkaProducer<byte[], byte[]> producer, String tag, int n) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        final String[] results = new String[n];
        CountDownLatch all = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            final int k = i;
            byte[] key = (id + "-" + tag + "-" + i).getBytes(StandardCharsets.UTF_8);
            byte[] value = (id + "|" + tag + "|" + i + "|" + FILLER).getBytes(StandardCharsets.UTF_8);
            ProducerRecord<byte[], byte[]> r = partition >= 0
                ? new ProducerRecord<>(topic, partition, key, value)
                : new ProducerRecord<>(topic, key, value);
            producer.send(r, (md, e) -> {
                synchronized (results) {
                    results[k] = e == null
                        ? "[" + k + "," + md.partition() + "," + md.offset() + "]"
                        : "[" + k + "," + quote(errorName(e)) + "]";
                }
                all.countDown();
            });
        }
        all.await(Math.max(0, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        List<String> acked = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        synchronized (results) {
            for (int i = 0; i < n; i++) {
                if (results[i] == null) failed.add("[" + i + ",\"PENDING\"]");
                else if (results[i].contains("\"")) failed.add(results[i]);
                else acked.add(results[i]);
            }
        }
        return "{\"event\":\"sent\",\"tag\":" + quote(tag) + ",\"acked\":[" + String.join(",", acked) + "],\"failed\":["
            + String.join(",", failed) + "]}";
    }

    private String read() {
        long deadline = System.currentTimeMillis() + timeoutMs;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        StringBuilder out = new StringBuilder();
        int count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < partitions; i++) tps.add(new TopicPartition(topic, i));
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, Duration.ofMillis(timeoutMs));
            while (true) {
                boolean done = true;
                for (TopicPartition tp : tps) {
                    long left = Math.max(1, deadline - System.currentTimeMillis());
                    if (consumer.position(tp, Duration.ofMillis(left)) < end.get(tp)) done = false;
                }
                if (done) break;
                if (System.currentTimeMillis() > deadline) throw new IllegalStateException("read timed out, end offsets " + end);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (count++ > 0) out.append(',');
                    out.append('[').append(r.partition()).append(',').append(r.offset()).append(',')
                        .append(quote(new String(r.key(), StandardCharsets.UTF_8))).append(',')
                        .append(quote(new String(r.value(), StandardCharsets.UTF_8))).append(']');
                }
            }
        }
        return "{\"event\":\"read\",\"records\":[" + out + "]}";
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
