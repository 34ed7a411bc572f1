// Renders the bible tab inside the real story layout, against a FakeBible.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { configure, render } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { AuthContext } from "../auth/AuthContext";
import { StoryLayout } from "../stories/StoryLayout";
import { fakeAuth, user } from "../test/fakes";
import { BiblePage } from "./BiblePage";
import { STORY_ID, type FakeBible } from "./fakeBibleApi";

// Several queries load in turn (story, then the bible's lists); on a busy machine that outlasts the 1 s default.
configure({ asyncUtilTimeout: 5000 });

export function renderBible(fake: FakeBible, search = "") {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const auth = fakeAuth({ status: "signed-in", user: user(), api: fake.api() });
  return render(
    <AuthContext.Provider value={auth}>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={[`/stories/${STORY_ID}/bible${search}`]}>
          <Routes>
            <Route path="/stories/:storyId" element={<StoryLayout />}>
              <Route path="bible" element={<BiblePage />} />
            </Route>
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </AuthContext.Provider>,
  );
}
