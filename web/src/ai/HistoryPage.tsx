/** HistoryPage lists the story's generations. */
export function HistoryPage() {
  return <h2>AI history</h2>;
}
