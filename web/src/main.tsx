import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { createApi } from "./api/client";
import { REFRESH_KEY, Session } from "./api/session";
import { newQueryClient } from "./app/queryClient";
import { AppRoutes } from "./app/routes";
import { AuthProvider } from "./auth/AuthProvider";
import "./styles.css";

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // Storage blocked: sessions last until the tab closes.
  }
}

const queryClient = newQueryClient();
const api = createApi({ session: new Session(storage()), onSessionEnded: () => queryClient.clear() });

// Signing out in one tab signs out the others.
window.addEventListener("storage", (e) => {
  if (e.key === REFRESH_KEY && e.newValue === null && api.session.accessToken !== null) {
    api.session.clear();
    queryClient.clear();
  }
});

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AuthProvider api={api}>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </AuthProvider>
    </QueryClientProvider>
  </StrictMode>,
);
