/**
 * Hands out producer ids from blocks the controller allocates (Kafka's ProducerIdManager), so two
 * brokers never give out the same id and a restart never reuses one.
 */
export class ProducerIdManager {
  private next = 0;
  private end = 0;
  private pending: Promise<void> | null = null;

  constructor(private readonly allocate: () => Promise<{ firstProducerId: number; count: number }>) {}

  async nextProducerId(): Promise<number> {
    while (this.next >= this.end) {
      if (!this.pending) {
        this.pending = this.allocate()
          .then((block) => {
            this.next = block.firstProducerId;
            this.end = block.firstProducerId + block.count;
          })
          .finally(() => {
            this.pending = null;
          });
      }
      await this.pending;
    }
    return this.next++;
  }
}
