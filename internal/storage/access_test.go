package storage

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/content"
)

func TestAccess(t *testing.T) {
	forEachSetup(t, func(t *testing.T, s setup) {
		e := s.newEnv(t)
		owner, editor, viewer, stranger := e.user(t, "free"), e.user(t, "free"), e.user(t, "free"), e.user(t, "free")
		story := e.story(t, owner)
		e.collaborate(t, story, editor, "editor")
		e.collaborate(t, story, viewer, "viewer")

		t.Run("attaching to a story", func(t *testing.T) {
			for _, tc := range []struct {
				who    string
				user   string
				status int
			}{
				{"owner", owner, http.StatusCreated},
				{"editor", editor, http.StatusCreated},
				{"viewer", viewer, http.StatusForbidden},
				{"stranger", stranger, http.StatusNotFound},
			} {
				r := e.upload(t, tc.user, upload{query: "?purpose=attachment&story_id=" + story, name: "map.png", data: pngFile(t, 50, 50)})
				if r.status != tc.status {
					t.Errorf("%s attaching a file: %s, want %d", tc.who, r, tc.status)
				}
			}
		})

		att := e.mustUpload(t, owner, upload{fields: [][2]string{{"purpose", "attachment"}, {"story_id", story}}, name: "notes.txt", data: text(500)})
		loose := e.mustUpload(t, owner, upload{query: "?purpose=attachment", name: "private.txt", data: text(300)})
		if att.StoryID == nil || *att.StoryID != story {
			t.Fatalf("attachment's story_id = %v, want %s", att.StoryID, story)
		}
		read := func(t *testing.T, v FileView, user string, want int) {
			t.Helper()
			if r := e.do(t, http.MethodGet, v.URL, user, nil); r.status != want {
				t.Errorf("GET %s as %s: %s, want %d", v.Name, user, r, want)
			}
		}
		t.Run("reading", func(t *testing.T) {
			read(t, att, owner, http.StatusOK)
			read(t, att, editor, http.StatusOK)
			read(t, att, viewer, http.StatusOK)
			read(t, att, stranger, http.StatusNotFound)
			read(t, att, "", http.StatusNotFound)
			read(t, loose, owner, http.StatusOK)
			read(t, loose, viewer, http.StatusNotFound) // not attached to the story
		})
		t.Run("deleting", func(t *testing.T) {
			for _, tc := range []struct {
				user   string
				status int
			}{{editor, http.StatusForbidden}, {viewer, http.StatusForbidden}, {stranger, http.StatusNotFound}} {
				if r := e.do(t, http.MethodDelete, att.URL, tc.user, nil); r.status != tc.status {
					t.Errorf("DELETE by %s: %s, want %d", tc.user, r, tc.status)
				}
			}
			read(t, att, owner, http.StatusOK)
		})
		t.Run("story in the trash", func(t *testing.T) {
			ctx := context.Background()
			if err := e.content.DeleteStory(ctx, auth.Principal{UserID: owner}, story, "Salt Roads"); err != nil {
				t.Fatal(err)
			}
			read(t, att, owner, http.StatusOK)
			read(t, att, viewer, http.StatusNotFound)
			r := e.upload(t, owner, upload{query: "?purpose=attachment&story_id=" + story, name: "x.txt", data: text(100)})
			if r.status != http.StatusConflict {
				t.Errorf("attaching to a story in the trash: %s, want 409", r)
			}
			if _, err := e.content.RestoreStory(ctx, auth.Principal{UserID: owner}, story); err != nil {
				t.Fatal(err)
			}
			read(t, att, viewer, http.StatusOK)
		})
	})
}

// TestPublishedCover follows a cover through the content service: chosen by its
// uploader, public while the story is published and not private, and cleared
// from the story when deleted.
func TestPublishedCover(t *testing.T) {
	forEachSetup(t, func(t *testing.T, s setup) {
		e := s.newEnv(t)
		ctx := context.Background()
		ann, bob := e.user(t, "free"), e.user(t, "free")
		p := auth.Principal{UserID: ann}
		story := e.story(t, ann)
		cover := e.mustUpload(t, ann, upload{query: "?purpose=cover", name: "cover.jpg", data: jpegFile(t, 200, 300)})
		att := e.mustUpload(t, ann, upload{query: "?purpose=attachment&story_id=" + story, name: "a.png", data: pngFile(t, 200, 300)})
		bobs := e.mustUpload(t, bob, upload{query: "?purpose=cover", name: "b.png", data: pngFile(t, 200, 300)})

		setCover := func(id string) error {
			st, _, err := e.content.Story(ctx, &p, story)
			if err != nil {
				t.Fatal(err)
			}
			v := st.Version
			raw, _ := json.Marshal(id)
			_, _, err = e.content.UpdateStory(ctx, p, story, content.StoryInput{Version: &v, CoverFileID: raw}, 0)
			return err
		}
		// Only the uploader's own cover images may become a story's cover.
		if err := setCover(att.ID); err == nil {
			t.Error("an attachment became a cover; only cover uploads may")
		}
		if err := setCover(bobs.ID); err == nil {
			t.Error("someone else's cover became the story's cover")
		}
		if err := setCover(cover.ID); err != nil {
			t.Fatalf("set cover: %v", err)
		}

		status := func(user string) (int, string) {
			r := e.do(t, http.MethodGet, cover.URL, user, nil)
			return r.status, r.header.Get("Cache-Control")
		}
		if st, _ := status(""); st != http.StatusNotFound {
			t.Errorf("cover of a draft, anonymous: %d, want 404", st)
		}
		public := "public"
		st, _, _ := e.content.Story(ctx, &p, story)
		v := st.Version
		if _, _, err := e.content.UpdateStory(ctx, p, story, content.StoryInput{Version: &v, Visibility: &public}, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := e.content.SetPublished(ctx, p, story, true); err != nil {
			t.Fatal(err)
		}
		for _, user := range []string{"", bob} {
			if st, cc := status(user); st != http.StatusOK || cc != "public, max-age=300" {
				t.Errorf("cover of a published story for %q: %d, Cache-Control %q; want 200, public", user, st, cc)
			}
		}
		if r := e.do(t, http.MethodGet, att.URL, "", nil); r.status != http.StatusNotFound {
			t.Errorf("an attachment of a published story, anonymous: %d, want 404 (only the cover is public)", r.status)
		}
		if _, err := e.content.SetPublished(ctx, p, story, false); err != nil {
			t.Fatal(err)
		}
		if st, _ := status(""); st != http.StatusNotFound {
			t.Errorf("cover after unpublishing, anonymous: %d, want 404", st)
		}

		if r := e.do(t, http.MethodDelete, cover.URL, ann, nil); r.status != http.StatusOK {
			t.Fatalf("delete cover: %s", r)
		}
		st, _, _ = e.content.Story(ctx, &p, story)
		if st.CoverFileID != "" {
			t.Errorf("after deleting the cover the story still names it (%s)", st.CoverFileID)
		}
	})
}

func TestDelete(t *testing.T) {
	forEachSetup(t, func(t *testing.T, s setup) {
		e := s.newEnv(t)
		ann := e.user(t, "free")
		empty := e.state(t)
		a := e.mustUpload(t, ann, upload{query: "?purpose=attachment", name: "a.pdf", data: pdfFile()})
		withA := e.state(t)
		b := e.mustUpload(t, ann, upload{query: "?purpose=import", name: "b.md", data: text(4000)})
		if u := e.usage(t, ann); u.UsedBytes != a.Size+b.Size || u.Files != 2 {
			t.Fatalf("usage with two files: %+v, want %d bytes in 2", u, a.Size+b.Size)
		}
		if r := e.do(t, http.MethodDelete, b.URL, ann, nil); r.status != http.StatusOK || string(r.env.Data) != `{"deleted":true}` {
			t.Fatalf("DELETE: %s", r)
		}
		e.wantState(t, withA)
		if u := e.usage(t, ann); u.UsedBytes != a.Size || u.Files != 1 || u.ByPurpose[PurposeImport].Files != 0 {
			t.Errorf("usage after deleting one: %+v, want %d bytes in 1", u, a.Size)
		}
		for _, m := range []string{http.MethodGet, http.MethodDelete} {
			if r := e.do(t, m, b.URL, ann, nil); r.status != http.StatusNotFound {
				t.Errorf("%s of a deleted file: %s, want 404", m, r)
			}
		}
		if r := e.do(t, http.MethodDelete, a.URL, ann, nil); r.status != http.StatusOK {
			t.Fatal(r)
		}
		e.wantState(t, empty)
		if u := e.usage(t, ann); u.UsedBytes != 0 || u.Files != 0 {
			t.Errorf("usage after deleting everything: %+v", u)
		}
	})
}

func TestList(t *testing.T) {
	e := setup{dialect: "sqlite", backend: "local"}.newEnv(t)
	ann, bob := e.user(t, "free"), e.user(t, "free")
	story := e.story(t, ann)
	var ids []string
	for i := range 5 {
		e.clock.Advance(time.Second)
		q := "?purpose=attachment"
		if i%2 == 0 {
			q += "&story_id=" + story
		}
		ids = append(ids, e.mustUpload(t, ann, upload{query: q, name: "f.txt", data: text(100 + i)}).ID)
	}
	e.mustUpload(t, bob, upload{query: "?purpose=attachment", name: "bob.txt", data: text(100)})

	var got []string
	cursor := ""
	for range 10 {
		r := e.do(t, http.MethodGet, "/api/files?limit=2&cursor="+cursor, ann, nil)
		var page FilePage
		if err := json.Unmarshal(r.env.Data, &page); r.status != http.StatusOK || err != nil {
			t.Fatalf("list: %s", r)
		}
		for _, v := range page.Items {
			got = append(got, v.ID)
		}
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	want := []string{ids[4], ids[3], ids[2], ids[1], ids[0]}
	if len(got) != len(want) {
		t.Fatalf("listed %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("listed %v, want newest first %v", got, want)
			break
		}
	}
	r := e.do(t, http.MethodGet, "/api/files?story_id="+story, ann, nil)
	var page FilePage
	if err := json.Unmarshal(r.env.Data, &page); err != nil || len(page.Items) != 3 {
		t.Errorf("list by story: %s, want 3 files", r)
	}
	for _, q := range []string{"?limit=0", "?purpose=avatar", "?story_id=x", "?cursor=zzz"} {
		if r := e.do(t, http.MethodGet, "/api/files"+q, ann, nil); r.status != http.StatusBadRequest {
			t.Errorf("list%s: %s, want 400", q, r)
		}
	}
}
