// Under `strictTemplates`, attributes a component does not declare are errors. `data-*` test hooks
// and `aria-*` labels fall through to the component's root element on purpose: allow them on
// every component and element.
export {};

declare module 'vue' {
  interface ComponentCustomProps {
    [attribute: `data-${string}`]: string | number | boolean | undefined;
    [attribute: `aria-${string}`]: string | number | boolean | undefined;
    // vue-tsc camel-cases attributes on components: data-test → dataTest. Named one by one: a
    // `data${Capitalize<string>}` pattern would also match `data`, ElTable's rows prop.
    dataTest?: string | number | boolean;
    dataState?: string | number | boolean;
    role?: string;
  }
}

declare module '@vue/runtime-dom' {
  interface HTMLAttributes {
    [attribute: `data-${string}`]: string | number | boolean | undefined;
  }
}
