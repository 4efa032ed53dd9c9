// Polish messages: the same keys as en.ts (checked by `satisfies`).
import type { MessageSchema } from './en.js';

import { pl as topicsSection } from './sections/topics.js';
import { pl as groupsSection } from './sections/groups.js';
import { pl as producerSection } from './sections/producer.js';
import { pl as browserSection } from './sections/browser.js';
import { pl as brokersSection } from './sections/brokers.js';
import { pl as connectionsSection } from './sections/connections.js';
import { pl as settingsViewSection } from './sections/settingsView.js';
import { pl as commonSection } from './sections/common.js';

const pl = {
  app: {
    name: 'Eddy',
    tagline: 'Klaster Kafki na Twoim komputerze',
  },
  nav: {
    label: 'Nawigacja główna',
    cluster: 'Klaster',
    topics: 'Tematy',
    groups: 'Grupy konsumentów',
    produce: 'Wysyłanie',
    browse: 'Przeglądanie',
    settings: 'Ustawienia',
    collapse: 'Zwiń nawigację',
    expand: 'Rozwiń nawigację',
  },
  palette: {
    open: 'Paleta poleceń',
    shortcut: 'Ctrl+K',
    placeholder: 'Przejdź do widoku, tematu lub grupy albo wykonaj akcję…',
    empty: 'Nic nie pasuje do „{query}”.',
    help: '↑ ↓ wybór · Enter otwiera · Esc zamyka',
    sections: {
      views: 'Widoki',
      actions: 'Akcje',
      topics: 'Tematy',
      groups: 'Grupy konsumentów',
    },
    actions: {
      createTopic: 'Utwórz temat',
      produce: 'Wyślij rekord',
      browse: 'Przeglądaj wiadomości',
      connections: 'Zarządzaj połączeniami z klastrami',
      toggleTheme: 'Przełącz motyw jasny/ciemny',
    },
    topicHint: 'temat · partycje: {partitions}',
    groupHint: 'grupa · {state}',
  },
  status: {
    bootstrap: 'Bootstrap',
    throughput: 'Przepustowość',
    bytesIn: 'we',
    bytesOut: 'wy',
  },
  settings: {
    theme: 'Motyw',
    themeSystem: 'Systemowy',
    themeLight: 'Jasny',
    themeDark: 'Ciemny',
    language: 'Język',
  },
  connection: {
    connecting: 'Łączenie z silnikiem Eddy…',
    connected: 'Połączono',
    disconnected: 'Rozłączono',
    retrying: 'Ponawiam próbę co kilka sekund.',
    restartedHint: 'Jeśli uruchomiono `eddy serve` ponownie, otwórz nowy link, który wypisał.',
    retry: 'Spróbuj ponownie',
  },
  cluster: {
    title: 'Przegląd klastra',
    clusterId: 'ID klastra',
    brokers: 'Brokery',
    brokersUp: 'działa {up} z {total}',
    topics: 'Tematy',
    controller: 'Kontroler',
    bootstrap: 'Serwery startowe',
    copy: 'Kopiuj',
    copied: 'Skopiowano',
    noController: 'brak',
    columns: {
      id: 'ID',
      address: 'Adres',
      state: 'Stan',
      role: 'Rola',
      name: 'Nazwa',
      partitions: 'Partycje',
      replicationFactor: 'Współczynnik replikacji',
    },
    state: {
      up: 'Działa',
      down: 'Nie działa',
    },
    internal: 'wewnętrzny',
    noBrokers: 'Żaden broker jeszcze się nie zarejestrował.',
    noTopics:
      'Nie ma jeszcze tematów — utwórz temat poleceniem `eddy topics create NAZWA` albo wyślij rekord do nowej nazwy, a broker sam go utworzy.',
  },
  terms: {
    broker: 'Serwer, który przechowuje partycje i obsługuje klientów.',
    controller: 'Broker wskazywany klientom jako zarządca metadanych klastra: tematów, partycji i liderów.',
    partitions: 'Temat dzieli się na partycje: uporządkowane logi rozłożone na brokery.',
    replicationFactor: 'Ile brokerów przechowuje kopię każdej partycji.',
    bootstrap: 'Podaj te adresy klientowi Kafki, aby się połączył.',
    internal: 'Temat samej Kafki, np. z zatwierdzonymi offsetami konsumentów.',
  },
  errors: {
    ENGINE_UNREACHABLE: 'Nie można połączyć się z silnikiem Eddy — czy jest uruchomiony?',
    ENGINE_NOT_RUNNING: 'Silnik Eddy nie wystartował. Sprawdź przyczynę w logu i uruchom Eddy ponownie.',
    INVALID_ARGUMENT: 'Żądanie jest niezrozumiałe: jedna z wartości ma zły typ lub zakres.',
    UNKNOWN_METHOD:
      'Ta wersja silnika nie oferuje tej operacji. Zaktualizuj Eddy, aby obie strony do siebie pasowały.',
    CANCELLED: 'Operację anulowano.',
    UNAUTHORIZED: 'Ta strona nie ma dostępu do silnika. Otwórz link wypisany przez `eddy serve`.',
    TOO_MANY_REQUESTS: 'Zbyt wiele operacji naraz. Poczekaj, aż część się zakończy, i spróbuj ponownie.',
    KAFKA_ERROR: 'Klaster odrzucił żądanie.',
    CLUSTER_UNREACHABLE:
      'Nie można połączyć się z klastrem Kafki. Sprawdź adresy bootstrap i czy brokery działają.',
    AUTHENTICATION_FAILED: 'Klaster odrzucił nazwę użytkownika lub hasło. Sprawdź profil połączenia.',
    EMBEDDED_ONLY: 'To działa tylko na wbudowanym klastrze. Przełącz się na niego w przełączniku klastrów.',
    NOT_FOUND: 'Ten temat, grupa lub profil nie istnieje (już).',
    INTERNAL: 'Coś poszło nie tak wewnątrz Eddy. Szczegóły są w logu.',
  },
  topics: topicsSection,
  groups: groupsSection,
  producer: producerSection,
  browser: browserSection,
  brokers: brokersSection,
  connections: connectionsSection,
  settingsView: settingsViewSection,
  common: commonSection,
  kafkaErrors: commonSection.kafkaErrors,
} satisfies MessageSchema;

export default pl;
