/** PublishPage: status, visibility and the shareable reader link. */
export function PublishPage() {
  return <h2>Publish</h2>;
}
