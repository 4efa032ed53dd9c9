import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Java kafka-clients consumer-group members for the groups interop suite, one thread each, in one
 * classic-protocol group with the range (eager) or cooperative-sticky assignor.
 *
 * Usage: GroupMembers --bootstrap H:P --topic T --group G --assignor range|cooperative-sticky --members N
 * Commands on stdin: "add" starts one more member, "stop I" stops member I, "quit" (or EOF) stops all.
 * One JSON line per event on stdout, each with "member": assigned (what it owns now), revoked,
 * records ([[partition, offset, key], ...], once processed), committed, commit-failed, closed.
 * Offsets are committed after every batch and for revoked partitions before they go.
 */
public class GroupMembers {
    static String bootstrap, topic, group, assignor;
    static final List<Member> members = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        int count = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--bootstrap": bootstrap = args[i + 1]; break;
                case "--topic": topic = args[i + 1]; break;
                case "--group": group = args[i + 1]; break;
                case "--assignor": assignor = args[i + 1]; break;
                case "--members": count = Integer.parseInt(args[i + 1]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        for (int i = 0; i < count; i++) start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            line = line.trim();
            if (line.equals("add")) start();
            else if (line.startsWith("stop ")) members.get(Integer.parseInt(line.substring(5).trim())).stop();
            else if (line.equals("quit")) break;
        }
        for (Member m : members) m.stop();
        emit("{\"event\":\"exit\"}");
    }

    static void start() {
        Member m = new Member(members.size());
        members.add(m);
        m.thread.start();
    }

    static synchronized void emit(String json) {
        System.out.println(json);
        System.out.flush();
    }

    static String partitions(Collection<TopicPartition> tps) {
        TreeSet<Integer> sorted = new TreeSet<>();
        for (TopicPartition tp : tps) sorted.add(tp.partition());
        return sorted.toString().replace(" ", "");
    }

    static final class Member implements Runnable {
        final int id;
        final Thread thread;
        final AtomicBoolean stopping = new AtomicBoolean();
        final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
        final List<TopicPartition> owned = new ArrayList<>();
        KafkaConsumer<String, String> consumer;

        Member(int id) {
            this.id = id;
            this.thread = new Thread(this, "member-" + id);
        }

        void event(String name, String rest) {
            emit("{\"member\":" + id + ",\"event\":\"" + name + "\"" + rest + "}");
        }

        void stop() throws InterruptedException {
            if (stopping.compareAndSet(false, true) && consumer != null) consumer.wakeup();
            thread.join();
        }

        boolean commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (offsets.isEmpty()) return true;
            try {
                consumer.commitSync(offsets, Duration.ofSeconds(10));
                event("committed", "");
                return true;
            } catch (WakeupException e) {
                return commit(offsets); // stopping: the wakeup was meant for poll; try once more
            } catch (RuntimeException e) {
                event("commit-failed", ",\"error\":\"" + String.valueOf(e.getMessage()).replace("\"", "'") + "\"");
                return false;
            }
        }

        @Override
        public void run() {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, "java-" + assignor + "-" + id);
            p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
            p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                (assignor.equals("range") ? RangeAssignor.class : CooperativeStickyAssignor.class).getName());
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
            p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
            p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "200");
            p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "2000");
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            consumer = new KafkaConsumer<>(p);
            if (stopping.get()) consumer.wakeup();
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                    Map<TopicPartition, OffsetAndMetadata> mine = new HashMap<>();
                    for (TopicPartition tp : revoked) {
                        OffsetAndMetadata o = pending.remove(tp);
                        if (o != null) mine.put(tp, o);
                    }
                    commit(mine);
                    owned.removeAll(revoked);
                    event("revoked", ",\"partitions\":" + partitions(revoked));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                    owned.addAll(assigned);
                    event("assigned", ",\"partitions\":" + partitions(owned) + ",\"added\":" + partitions(assigned));
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> lost) {
                    for (TopicPartition tp : lost) pending.remove(tp);
                    owned.removeAll(lost);
                    event("lost", ",\"partitions\":" + partitions(lost));
                }
            });
            try {
                while (!stopping.get()) {
                    ConsumerRecords<String, String> records;
                    try {
                        records = consumer.poll(Duration.ofMillis(200));
                    } catch (WakeupException e) {
                        break;
                    }
                    if (!records.isEmpty()) {
                        StringBuilder items = new StringBuilder();
                        for (ConsumerRecord<String, String> r : records) {
                            if (items.length() > 0) items.append(',');
                            items.append('[').append(r.partition()).append(',').append(r.offset()).append(",\"")
                                .append(r.key() == null ? "" : r.key().replace("\"", "'")).append("\"]");
                            pending.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                        }
                        event("records", ",\"items\":[" + items + "]");
                    }
                    if (commit(new HashMap<>(pending))) pending.clear();
                }
                commit(new HashMap<>(pending));
            } finally {
                consumer.close(Duration.ofSeconds(10));
                event("closed", "");
            }
        }
    }
}
