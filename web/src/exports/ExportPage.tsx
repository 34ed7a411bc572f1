/** ExportPage: pick a format, watch the job, download. */
export function ExportPage() {
  return <h2>Export</h2>;
}
