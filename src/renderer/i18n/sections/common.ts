// The 'common' section of the UI text. `pl` must have exactly the keys of `en` (the compiler checks).
// vue-i18n treats { } @ $ | as syntax: keep them out of plain text (use {'{'} or named params).
//
// `terms`: the glossary — one plain-words line per Kafka term, for BaseTerm tooltips in every view
// (`t('common.terms.isr')`). `kafkaErrors`: Kafka's error names → sentences a person can act on;
// en.ts/pl.ts hoist it to the root key `kafkaErrors` that useErrorText looks up.
export const en = {
  title: 'Eddy',
  actions: {
    cancel: 'Cancel',
    close: 'Close',
    save: 'Save',
    apply: 'Apply',
    remove: 'Remove',
    edit: 'Edit',
    add: 'Add',
    copy: 'Copy',
    copied: 'Copied',
    retry: 'Try again',
    confirm: 'Confirm',
  },
  none: '—',
  terms: {
    broker: 'A server that stores partitions and answers clients.',
    cluster: 'Brokers that work together and share topics.',
    topic: 'A named stream of records, split into partitions.',
    partition: 'An ordered, append-only log; a topic is split into partitions spread across brokers.',
    replica: 'A copy of a partition on one broker.',
    replicationFactor: 'How many brokers keep a copy of each partition.',
    leader: 'The replica that takes all reads and writes for a partition; the others copy from it.',
    follower: 'A replica that copies the leader and can take over if the leader fails.',
    leaderEpoch:
      'A counter that grows every time a partition gets a new leader, so stale leaders are ignored.',
    isr: 'In-sync replicas: the replicas that are caught up with the leader and may become leader.',
    underReplicated: 'A partition with fewer in-sync replicas than replicas: some copy is missing or behind.',
    offset: 'The position of a record in its partition: 0, 1, 2 …',
    logStartOffset: 'The oldest offset still stored; older records were removed by retention.',
    logEndOffset: 'The offset the next record written to the partition will get.',
    highWatermark:
      'The offset up to which all in-sync replicas have the records; consumers read only below it.',
    committedOffset:
      'Where a consumer group will resume reading a partition: the next offset it has not processed.',
    lag: 'How many records a consumer group still has to read: end offset minus committed offset.',
    consumerGroup: 'Consumers that share the work of reading topics; each partition goes to one member.',
    coordinator: 'The broker that manages a consumer group: its members, rebalances and committed offsets.',
    controller:
      'The broker that manages cluster metadata: topics, partitions, leaders and which brokers are alive.',
    retention: 'How long (or how much) data a topic keeps before old segments are deleted.',
    cleanupPolicy: 'delete removes old segments after retention; compact keeps the last record per key.',
    segment: 'One file of a partition log; old segments are deleted or compacted as a whole.',
    bootstrap: 'Give these addresses to a Kafka client to connect.',
    internal: "Kafka's own topic, such as committed consumer offsets.",
    throughput: 'Bytes per second written to (in) and read from (out) the brokers.',
    rebalance: 'The group hands out partitions to its members again after one joins or leaves.',
  },
  kafkaErrors: {
    UNKNOWN_SERVER_ERROR: 'The broker hit an unexpected error. Check its log, then try again.',
    OFFSET_OUT_OF_RANGE:
      'That offset is not in the partition any more (or not yet). Pick an offset between the log start and end offsets.',
    CORRUPT_MESSAGE:
      'A record failed its checksum. Produce it again; if it repeats, the data on disk is damaged.',
    UNKNOWN_TOPIC_OR_PARTITION:
      'That topic or partition does not exist. Check the name, or create the topic first.',
    INVALID_FETCH_SIZE: 'The fetch size is invalid. Use a positive number of bytes.',
    LEADER_NOT_AVAILABLE:
      'The partition has no leader right now (an election is under way). Wait a moment and try again.',
    NOT_LEADER_OR_FOLLOWER:
      'That broker no longer leads the partition. The client refreshes metadata; try again.',
    REQUEST_TIMED_OUT: 'The broker did not answer in time. Check that the brokers are up, then try again.',
    BROKER_NOT_AVAILABLE: 'That broker is not available. Start it, or wait until it is back.',
    REPLICA_NOT_AVAILABLE: 'A replica of the partition is not available. Start the broker that hosts it.',
    MESSAGE_TOO_LARGE:
      'The record is larger than the topic allows. Make it smaller or raise max.message.bytes.',
    NETWORK_EXCEPTION: 'The connection to the broker broke. Check that it is running and try again.',
    COORDINATOR_LOAD_IN_PROGRESS: 'The group coordinator is still loading. Wait a moment and try again.',
    COORDINATOR_NOT_AVAILABLE: 'No coordinator is available for the group. Check that the brokers are up.',
    NOT_COORDINATOR:
      'That broker is not the group coordinator any more. Try again; the client finds the new one.',
    INVALID_TOPIC_EXCEPTION:
      'The topic name is invalid: use 1–249 letters, digits, dots, underscores or hyphens.',
    RECORD_LIST_TOO_LARGE: 'The batch of records is too large. Send fewer or smaller records.',
    NOT_ENOUGH_REPLICAS:
      'Too few in-sync replicas to accept the write (min.insync.replicas). Start the stopped brokers, or use fewer acks.',
    NOT_ENOUGH_REPLICAS_AFTER_APPEND:
      'The record was written but too few replicas confirmed it. Start the stopped brokers.',
    INVALID_REQUIRED_ACKS: 'acks must be 0, 1 or all (-1).',
    ILLEGAL_GENERATION: 'The consumer is from an old generation of the group. It rejoins; try again.',
    INCONSISTENT_GROUP_PROTOCOL:
      "The member's protocol does not match the group's. Use the same assignor in all members.",
    INVALID_GROUP_ID: 'The group id is invalid. Use a non-empty name.',
    UNKNOWN_MEMBER_ID: 'The group does not know this member any more. It rejoins; try again.',
    INVALID_SESSION_TIMEOUT: 'The session timeout is outside what the broker allows.',
    REBALANCE_IN_PROGRESS: 'The group is rebalancing. Wait until it is stable, then try again.',
    INVALID_COMMIT_OFFSET_SIZE: 'The commit metadata is too large.',
    TOPIC_AUTHORIZATION_FAILED: 'You are not allowed to use this topic. Ask an administrator for access.',
    GROUP_AUTHORIZATION_FAILED:
      'You are not allowed to use this consumer group. Ask an administrator for access.',
    CLUSTER_AUTHORIZATION_FAILED:
      'You are not allowed to do this on the cluster. Ask an administrator for access.',
    INVALID_TIMESTAMP: 'The record timestamp is out of the range the topic accepts.',
    UNSUPPORTED_SASL_MECHANISM:
      'The cluster does not accept that SASL mechanism. Pick another in the connection profile.',
    ILLEGAL_SASL_STATE: 'The SASL handshake went wrong. Check the connection profile and connect again.',
    UNSUPPORTED_VERSION: 'The broker does not support this request version. The cluster may be too old.',
    TOPIC_ALREADY_EXISTS: 'A topic with that name already exists. Pick another name.',
    INVALID_PARTITIONS: 'The number of partitions is invalid: it must be at least 1 and can only grow.',
    INVALID_REPLICATION_FACTOR:
      'The replication factor is invalid: it must be at least 1 and at most the number of brokers up.',
    INVALID_REPLICA_ASSIGNMENT:
      'The replica assignment is invalid. Each partition needs distinct, existing brokers.',
    INVALID_CONFIG: 'A configuration value is invalid. Check the names and values.',
    NOT_CONTROLLER: 'That broker is not the controller any more. Try again.',
    INVALID_REQUEST: 'The broker did not understand the request.',
    POLICY_VIOLATION: "The cluster's policy refused the request.",
    OUT_OF_ORDER_SEQUENCE_NUMBER: 'The broker received records out of order from an idempotent producer.',
    DUPLICATE_SEQUENCE_NUMBER: 'The broker already has these records (a duplicate send was dropped).',
    INVALID_PRODUCER_EPOCH: 'A newer producer with the same transactional id took over.',
    INVALID_TXN_STATE: 'The transaction is not in a state that allows this.',
    TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 'You are not allowed to use this transactional id.',
    SASL_AUTHENTICATION_FAILED:
      'The cluster refused the user name or password. Check the connection profile.',
    REASSIGNMENT_IN_PROGRESS: 'A partition reassignment is already running. Wait until it finishes.',
    GROUP_ID_NOT_FOUND: 'That consumer group does not exist.',
    NON_EMPTY_GROUP: 'The group still has active members. Stop its consumers first.',
    FENCED_LEADER_EPOCH: 'The request used an old leader epoch. The client refreshes metadata; try again.',
    UNKNOWN_LEADER_EPOCH: 'The broker has not seen that leader epoch yet. Try again in a moment.',
    STALE_BROKER_EPOCH: 'The broker restarted; the request came from before. Try again.',
    KAFKA_STORAGE_ERROR: 'The broker could not read or write its log on disk. Check the disk and its log.',
    GROUP_MAX_SIZE_REACHED:
      'The group has as many members as it may. Stop a consumer, or raise group.max.size.',
    THROTTLING_QUOTA_EXCEEDED: 'Too many operations at once for the quota. Wait a moment and try again.',
    PRODUCER_FENCED: 'A newer producer with the same transactional id took over this one.',
    TOPIC_DELETION_DISABLED: 'Deleting topics is disabled on this cluster (delete.topic.enable=false).',
    INVALID_RECORD: 'The broker refused a record as invalid (for example no key on a compacted topic).',
  },
};

export const pl: typeof en = {
  title: 'Eddy',
  actions: {
    cancel: 'Anuluj',
    close: 'Zamknij',
    save: 'Zapisz',
    apply: 'Zastosuj',
    remove: 'Usuń',
    edit: 'Edytuj',
    add: 'Dodaj',
    copy: 'Kopiuj',
    copied: 'Skopiowano',
    retry: 'Spróbuj ponownie',
    confirm: 'Potwierdź',
  },
  none: '—',
  terms: {
    broker: 'Serwer, który przechowuje partycje i obsługuje klientów.',
    cluster: 'Brokery, które współpracują i dzielą się tematami.',
    topic: 'Nazwany strumień rekordów, podzielony na partycje.',
    partition:
      'Uporządkowany log, do którego tylko się dopisuje; temat dzieli się na partycje rozłożone po brokerach.',
    replica: 'Kopia partycji na jednym brokerze.',
    replicationFactor: 'Ile brokerów trzyma kopię każdej partycji.',
    leader: 'Replika, która obsługuje wszystkie odczyty i zapisy partycji; pozostałe kopiują od niej.',
    follower: 'Replika, która kopiuje lidera i może go zastąpić, gdy ten padnie.',
    leaderEpoch:
      'Licznik rosnący przy każdej zmianie lidera partycji, dzięki któremu nieaktualni liderzy są ignorowani.',
    isr: 'Repliki zsynchronizowane (ISR): nadążają za liderem i mogą zostać liderem.',
    underReplicated:
      'Partycja z mniejszą liczbą replik zsynchronizowanych niż replik: jakiejś kopii brakuje albo jest opóźniona.',
    offset: 'Pozycja rekordu w partycji: 0, 1, 2 …',
    logStartOffset: 'Najstarszy przechowywany offset; starsze rekordy usunęła retencja.',
    logEndOffset: 'Offset, który dostanie następny rekord zapisany do partycji.',
    highWatermark:
      'Offset, do którego wszystkie repliki zsynchronizowane mają rekordy; konsumenci czytają tylko poniżej.',
    committedOffset:
      'Miejsce, od którego grupa konsumentów wznowi czytanie partycji: pierwszy nieprzetworzony offset.',
    lag: 'Ile rekordów grupa konsumentów ma jeszcze do przeczytania: offset końca minus zatwierdzony offset.',
    consumerGroup:
      'Konsumenci, którzy dzielą się czytaniem tematów; każda partycja trafia do jednego członka.',
    coordinator:
      'Broker, który zarządza grupą konsumentów: członkami, rebalansami i zatwierdzonymi offsetami.',
    controller:
      'Broker, który zarządza metadanymi klastra: tematami, partycjami, liderami i tym, które brokery działają.',
    retention: 'Jak długo (albo ile) danych temat przechowuje, zanim stare segmenty zostaną usunięte.',
    cleanupPolicy:
      'delete usuwa stare segmenty po czasie retencji; compact zostawia ostatni rekord dla każdego klucza.',
    segment: 'Jeden plik logu partycji; stare segmenty są usuwane albo kompaktowane w całości.',
    bootstrap: 'Podaj te adresy klientowi Kafki, aby się połączył.',
    internal: 'Wewnętrzny temat Kafki, np. zatwierdzone offsety konsumentów.',
    throughput: 'Bajty na sekundę zapisywane do brokerów (we) i z nich czytane (wy).',
    rebalance: 'Grupa na nowo rozdziela partycje między członków, gdy ktoś dołącza lub odchodzi.',
  },
  kafkaErrors: {
    UNKNOWN_SERVER_ERROR: 'Broker napotkał nieoczekiwany błąd. Sprawdź jego log i spróbuj ponownie.',
    OFFSET_OUT_OF_RANGE:
      'Tego offsetu nie ma (już lub jeszcze) w partycji. Wybierz offset między początkiem a końcem logu.',
    CORRUPT_MESSAGE:
      'Rekord nie przeszedł kontroli sumy. Wyślij go ponownie; jeśli to się powtarza, dane na dysku są uszkodzone.',
    UNKNOWN_TOPIC_OR_PARTITION:
      'Taki temat lub partycja nie istnieje. Sprawdź nazwę albo najpierw utwórz temat.',
    INVALID_FETCH_SIZE: 'Nieprawidłowy rozmiar pobrania. Podaj dodatnią liczbę bajtów.',
    LEADER_NOT_AVAILABLE: 'Partycja nie ma teraz lidera (trwa wybór). Poczekaj chwilę i spróbuj ponownie.',
    NOT_LEADER_OR_FOLLOWER:
      'Ten broker nie jest już liderem partycji. Klient odświeża metadane; spróbuj ponownie.',
    REQUEST_TIMED_OUT: 'Broker nie odpowiedział na czas. Sprawdź, czy brokery działają, i spróbuj ponownie.',
    BROKER_NOT_AVAILABLE: 'Ten broker jest niedostępny. Uruchom go albo poczekaj, aż wróci.',
    REPLICA_NOT_AVAILABLE: 'Replika partycji jest niedostępna. Uruchom broker, który ją przechowuje.',
    MESSAGE_TOO_LARGE: 'Rekord jest większy, niż pozwala temat. Zmniejsz go albo zwiększ max.message.bytes.',
    NETWORK_EXCEPTION: 'Połączenie z brokerem zostało przerwane. Sprawdź, czy działa, i spróbuj ponownie.',
    COORDINATOR_LOAD_IN_PROGRESS: 'Koordynator grupy jeszcze się ładuje. Poczekaj chwilę i spróbuj ponownie.',
    COORDINATOR_NOT_AVAILABLE: 'Brak dostępnego koordynatora grupy. Sprawdź, czy brokery działają.',
    NOT_COORDINATOR: 'Ten broker nie jest już koordynatorem grupy. Spróbuj ponownie; klient znajdzie nowego.',
    INVALID_TOPIC_EXCEPTION:
      'Nieprawidłowa nazwa tematu: użyj od 1 do 249 liter, cyfr, kropek, podkreśleń lub myślników.',
    RECORD_LIST_TOO_LARGE: 'Paczka rekordów jest za duża. Wyślij mniej lub mniejsze rekordy.',
    NOT_ENOUGH_REPLICAS:
      'Za mało replik zsynchronizowanych, by przyjąć zapis (min.insync.replicas). Uruchom zatrzymane brokery albo użyj mniejszego acks.',
    NOT_ENOUGH_REPLICAS_AFTER_APPEND:
      'Rekord zapisano, ale potwierdziło go za mało replik. Uruchom zatrzymane brokery.',
    INVALID_REQUIRED_ACKS: 'acks musi wynosić 0, 1 albo all (-1).',
    ILLEGAL_GENERATION:
      'Konsument pochodzi ze starej generacji grupy. Dołączy ponownie; spróbuj jeszcze raz.',
    INCONSISTENT_GROUP_PROTOCOL:
      'Protokół członka nie pasuje do protokołu grupy. Użyj tego samego przydzielacza u wszystkich członków.',
    INVALID_GROUP_ID: 'Nieprawidłowy identyfikator grupy. Podaj niepustą nazwę.',
    UNKNOWN_MEMBER_ID: 'Grupa nie zna już tego członka. Dołączy ponownie; spróbuj jeszcze raz.',
    INVALID_SESSION_TIMEOUT: 'Limit czasu sesji jest poza zakresem dozwolonym przez broker.',
    REBALANCE_IN_PROGRESS:
      'Grupa jest w trakcie rebalansu. Poczekaj, aż się ustabilizuje, i spróbuj ponownie.',
    INVALID_COMMIT_OFFSET_SIZE: 'Metadane zatwierdzenia są za duże.',
    TOPIC_AUTHORIZATION_FAILED: 'Nie masz uprawnień do tego tematu. Poproś administratora o dostęp.',
    GROUP_AUTHORIZATION_FAILED:
      'Nie masz uprawnień do tej grupy konsumentów. Poproś administratora o dostęp.',
    CLUSTER_AUTHORIZATION_FAILED:
      'Nie masz uprawnień do tej operacji na klastrze. Poproś administratora o dostęp.',
    INVALID_TIMESTAMP: 'Znacznik czasu rekordu jest poza zakresem akceptowanym przez temat.',
    UNSUPPORTED_SASL_MECHANISM:
      'Klaster nie akceptuje tego mechanizmu SASL. Wybierz inny w profilu połączenia.',
    ILLEGAL_SASL_STATE: 'Uzgadnianie SASL się nie powiodło. Sprawdź profil połączenia i połącz się ponownie.',
    UNSUPPORTED_VERSION: 'Broker nie obsługuje tej wersji żądania. Klaster może być za stary.',
    TOPIC_ALREADY_EXISTS: 'Temat o tej nazwie już istnieje. Wybierz inną nazwę.',
    INVALID_PARTITIONS: 'Nieprawidłowa liczba partycji: musi wynosić co najmniej 1 i może tylko rosnąć.',
    INVALID_REPLICATION_FACTOR:
      'Nieprawidłowy współczynnik replikacji: co najmniej 1 i najwyżej tyle, ile działa brokerów.',
    INVALID_REPLICA_ASSIGNMENT:
      'Nieprawidłowy przydział replik. Każda partycja potrzebuje różnych, istniejących brokerów.',
    INVALID_CONFIG: 'Nieprawidłowa wartość konfiguracji. Sprawdź nazwy i wartości.',
    NOT_CONTROLLER: 'Ten broker nie jest już kontrolerem. Spróbuj ponownie.',
    INVALID_REQUEST: 'Broker nie zrozumiał żądania.',
    POLICY_VIOLATION: 'Polityka klastra odrzuciła żądanie.',
    OUT_OF_ORDER_SEQUENCE_NUMBER: 'Broker otrzymał rekordy w złej kolejności od producenta idempotentnego.',
    DUPLICATE_SEQUENCE_NUMBER: 'Broker ma już te rekordy (zduplikowane wysłanie pominięto).',
    INVALID_PRODUCER_EPOCH: 'Nowszy producent z tym samym identyfikatorem transakcyjnym przejął pracę.',
    INVALID_TXN_STATE: 'Transakcja nie jest w stanie, który na to pozwala.',
    TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 'Nie masz uprawnień do tego identyfikatora transakcyjnego.',
    SASL_AUTHENTICATION_FAILED: 'Klaster odrzucił nazwę użytkownika lub hasło. Sprawdź profil połączenia.',
    REASSIGNMENT_IN_PROGRESS: 'Trwa już przenoszenie partycji. Poczekaj, aż się skończy.',
    GROUP_ID_NOT_FOUND: 'Taka grupa konsumentów nie istnieje.',
    NON_EMPTY_GROUP: 'Grupa ma jeszcze aktywnych członków. Najpierw zatrzymaj jej konsumentów.',
    FENCED_LEADER_EPOCH: 'Żądanie użyło starej epoki lidera. Klient odświeża metadane; spróbuj ponownie.',
    UNKNOWN_LEADER_EPOCH: 'Broker nie widział jeszcze tej epoki lidera. Spróbuj ponownie za chwilę.',
    STALE_BROKER_EPOCH: 'Broker się zrestartował; żądanie pochodzi sprzed restartu. Spróbuj ponownie.',
    KAFKA_STORAGE_ERROR: 'Broker nie mógł czytać ani zapisywać logu na dysku. Sprawdź dysk i log brokera.',
    GROUP_MAX_SIZE_REACHED:
      'Grupa ma już maksymalną liczbę członków. Zatrzymaj konsumenta albo zwiększ group.max.size.',
    THROTTLING_QUOTA_EXCEEDED: 'Za dużo operacji naraz jak na limit. Poczekaj chwilę i spróbuj ponownie.',
    PRODUCER_FENCED: 'Nowszy producent z tym samym identyfikatorem transakcyjnym zastąpił ten.',
    TOPIC_DELETION_DISABLED: 'Usuwanie tematów jest w tym klastrze wyłączone (delete.topic.enable=false).',
    INVALID_RECORD: 'Broker odrzucił rekord jako nieprawidłowy (np. brak klucza w temacie kompaktowanym).',
  },
};
