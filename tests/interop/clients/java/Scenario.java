// The interop scenario with the Java kafka-clients (Admin, KafkaProducer, KafkaConsumer) of Apache Kafka 4.x.
// Compiled by the harness with javac against the cached Kafka jars; run with `java -cp <classes>:<libs>/* Scenario`.
//
// Usage: Scenario create|produce|consume --bootstrap H:P --topic T [--partitions N] [--plan FILE] [--timeout SECONDS]
// Prints one JSON summary line on stdout (all bytes as hex).
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.AppInfoParser;

public final class Scenario {
    private String mode;
    private String bootstrap;
    private String topic;
    private int partitions = 3;
    private String plan;
    private long timeoutMs = 90_000;

    public static void main(String[] args) throws Exception {
        Scenario s = new Scenario();
        s.mode = args[0];
        for (int i = 1; i < args.length; i += 2) {
            switch (args[i]) {
                case "--bootstrap": s.bootstrap = args[i + 1]; break;
                case "--topic": s.topic = args[i + 1]; break;
                case "--partitions": s.partitions = Integer.parseInt(args[i + 1]); break;
                case "--plan": s.plan = args[i + 1]; break;
                case "--timeout": s.timeoutMs = (long) (Double.parseDouble(args[i + 1]) * 1000); break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        switch (s.mode) {
            case "create": s.create(); break;
            case "produce": s.produce(); break;
            case "consume": s.consume(); break;
            default: throw new IllegalArgumentException("unknown mode " + s.mode);
        }
    }

    private void create() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "eddy-interop-java");
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        }
        System.out.println("{\"client\":\"java\",\"version\":\"" + AppInfoParser.getVersion() + "\",\"created\":\"" + topic + "\"}");
    }

    private static final class Planned {
        final byte[] key;
        final byte[] value;
        final List<Header> headers;
        Planned(byte[] key, byte[] value, List<Header> headers) { this.key = key; this.value = value; this.headers = headers; }
    }

    private void produce() throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        // codec -> records, in file order (LinkedHashMap keeps the chunk order).
        Map<String, List<Planned>> chunks = new java.util.LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(Paths.get(plan), StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) continue;
                String[] f = line.split("\t", -1);
                List<Header> headers = new ArrayList<>();
                if (!f[3].isEmpty()) {
                    for (String pair : f[3].split(",")) {
                        String[] kv = pair.split(":", -1);
                        headers.add(new RecordHeader(new String(unhex(kv[0]), StandardCharsets.UTF_8), unhex(kv[1])));
                    }
                }
                chunks.computeIfAbsent(f[0], c -> new ArrayList<>()).add(new Planned(unhex(f[1]), unhex(f[2]), headers));
            }
        }
        long produced = 0;
        StringBuilder notes = new StringBuilder();
        for (Map.Entry<String, List<Planned>> chunk : chunks.entrySet()) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "eddy-interop-java");
            p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, chunk.getKey());
            // Defaults on purpose: acks=all, enable.idempotence=true, the built-in (murmur2) partitioner.
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (Planned r : chunk.getValue()) {
                    futures.add(producer.send(new ProducerRecord<>(topic, null, null, r.key, r.value, r.headers)));
                }
                producer.flush();
                for (Future<RecordMetadata> f : futures) {
                    f.get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                    produced++;
                }
            }
            if (notes.length() > 0) notes.append(',');
            notes.append('"').append(chunk.getKey()).append(": ").append(chunk.getValue().size()).append(" records\"");
        }
        System.out.println("{\"client\":\"java\",\"version\":\"" + AppInfoParser.getVersion() + "\",\"produced\":" + produced
            + ",\"notes\":[" + notes + "]}");
    }

    private void consume() throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "eddy-interop-java");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        StringBuilder out = new StringBuilder(1 << 20);
        int count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < partitions; i++) tps.add(new TopicPartition(topic, i));
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, Duration.ofMillis(timeoutMs));
            Map<TopicPartition, Long> pos = new HashMap<>();
            while (true) {
                boolean done = true;
                for (TopicPartition tp : tps) {
                    long at = consumer.position(tp, Duration.ofMillis(Math.max(1, deadline - System.currentTimeMillis())));
                    pos.put(tp, at);
                    if (at < end.get(tp)) done = false;
                }
                if (done) break;
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("timed out: positions " + pos + ", end offsets " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (count++ > 0) out.append(',');
                    out.append("{\"p\":").append(r.partition())
                        .append(",\"o\":").append(r.offset())
                        .append(",\"k\":").append(hexOrNull(r.key()))
                        .append(",\"v\":").append(hexOrNull(r.value()))
                        .append(",\"h\":[");
                    boolean first = true;
                    for (Header h : r.headers()) {
                        if (!first) out.append(',');
                        first = false;
                        out.append("[\"").append(hex(h.key().getBytes(StandardCharsets.UTF_8))).append("\",\"")
                            .append(hex(h.value() == null ? new byte[0] : h.value())).append("\"]");
                    }
                    out.append("],\"ts\":").append(r.timestamp())
                        .append(",\"tt\":\"").append(r.timestampType().name).append("\"}");
                }
            }
        }
        System.out.println("{\"client\":\"java\",\"version\":\"" + AppInfoParser.getVersion() + "\",\"records\":[" + out + "]}");
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static String hex(byte[] b) {
        char[] c = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            c[2 * i] = HEX[(b[i] >> 4) & 0xf];
            c[2 * i + 1] = HEX[b[i] & 0xf];
        }
        return new String(c);
    }

    private static String hexOrNull(byte[] b) {
        return b == null ? "null" : "\"" + hex(b) + "\"";
    }

    private static byte[] unhex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return b;
    }
}
