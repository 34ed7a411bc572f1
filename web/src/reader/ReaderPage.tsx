/** ReaderPage is the public, signed-out view of a published story. */
export function ReaderPage() {
  return <h1>Reader</h1>;
}
