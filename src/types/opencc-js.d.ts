/** opencc-js ships its dictionaries as ES modules exporting one string each, without types. */
declare module 'opencc-js/dict/*' {
  /** `from to1 to2|from to1|…` */
  const data: string;
  export default data;
}
