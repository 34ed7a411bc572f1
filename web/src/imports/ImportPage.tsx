/** ImportPage: upload a manuscript, preview the chapters found, import. */
export function ImportPage() {
  return <h1>Import a manuscript</h1>;
}
