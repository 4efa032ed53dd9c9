// The 'brokers' section of the UI text. `pl` must have exactly the keys of `en` (the compiler checks).
// vue-i18n treats { } @ $ | as syntax: keep them out of plain text (use {'{'} or named params).
export const en = {
  title: 'Brokers',
};

export const pl: typeof en = {
  title: 'Brokery',
};
