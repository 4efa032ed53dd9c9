/**
 * Rack-unaware replica placement as Kafka does it: leaders spread round-robin over the brokers from
 * a random start, and followers placed at a shifting distance so that replica sets differ between
 * partitions (losing one broker moves leadership to several different brokers, not just one).
 */
export function assignReplicas(
  brokerIds: number[],
  partitions: number,
  replicationFactor: number,
  random: (n: number) => number = (n) => Math.floor(Math.random() * n),
): number[][] {
  const brokers = [...brokerIds].sort((a, b) => a - b);
  const n = brokers.length;
  if (replicationFactor > n) throw new Error(`replication factor ${replicationFactor} > ${n} brokers`);
  const startIndex = random(n);
  let shift = random(n);
  const result: number[][] = [];
  for (let p = 0; p < partitions; p++) {
    if (p > 0 && p % n === 0) shift++;
    const first = (p + startIndex) % n;
    const replicas = [brokers[first]];
    for (let j = 0; j < replicationFactor - 1; j++) {
      replicas.push(brokers[(first + 1 + ((shift + j) % (n - 1))) % n]);
    }
    result.push(replicas);
  }
  return result;
}
