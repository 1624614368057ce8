// saxen ships no types; this is the part of its proxy-mode API the diagram guard uses.
declare module 'saxen' {
  export type Context = { line: number; column: number; data: string };
  export type Decode = (s: string) => string;
  export type ProxyElement = { name: string; originalName: string; attrs: Record<string, string> };
  export class Parser {
    constructor(options?: { proxy?: boolean });
    ns(map?: Record<string, string>): void;
    on(event: 'openTag', fn: (el: ProxyElement, decode: Decode, selfClosing: boolean, context: () => Context) => void): void;
    on(event: 'closeTag', fn: (el: ProxyElement, decode: Decode, selfClosing: boolean, context: () => Context) => void): void;
    on(event: 'text', fn: (value: string, decode: Decode, context: () => Context) => void): void;
    on(event: 'cdata', fn: (value: string, context: () => Context) => void): void;
    on(event: 'error' | 'warn', fn: (err: Error, context: () => Context) => void): void;
    on(event: 'attention', fn: (value: string, decode: Decode, context: () => Context) => void): void;
    parse(xml: string): void;
  }
}
