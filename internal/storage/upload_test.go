package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"mime"
	"net/http"
	"strings"
	"testing"
)

func TestUploadThenDownload(t *testing.T) {
	forEachSetup(t, func(t *testing.T, s setup) {
		e := s.newEnv(t)
		ann := e.user(t, "free")
		cover := pngFile(t, 200, 300)
		r := e.upload(t, ann, upload{fields: [][2]string{{"purpose", "cover"}}, name: "../../etc/Cover Art.png", data: cover})
		if r.status != http.StatusCreated {
			t.Fatalf("upload: %s, want 201", r)
		}
		v := r.file(t)
		sum := sha256.Sum256(cover)
		want := FileView{ID: v.ID, Name: "Cover Art.png", Size: int64(len(cover)), MediaType: MediaPNG, Purpose: PurposeCover,
			SHA256: hex.EncodeToString(sum[:]), URL: "/api/files/" + v.ID, CreatedAt: v.CreatedAt}
		if v != want {
			t.Errorf("upload answered %+v, want %+v", v, want)
		}
		if loc := r.header.Get("Location"); loc != want.URL {
			t.Errorf("Location = %q, want %q", loc, want.URL)
		}

		got := e.do(t, http.MethodGet, v.URL, ann, nil)
		if got.status != http.StatusOK || !bytes.Equal(got.body, cover) {
			t.Fatalf("download: %d, %d bytes; want 200 and the %d uploaded", got.status, len(got.body), len(cover))
		}
		for h, want := range map[string]string{
			"Content-Type":           "image/png",
			"Content-Length":         "",
			"ETag":                   `"` + want.SHA256 + `"`,
			"Accept-Ranges":          "bytes",
			"Cache-Control":          "private, no-cache",
			"X-Content-Type-Options": "nosniff",
		} {
			if want == "" {
				continue
			}
			if got := got.header.Get(h); got != want {
				t.Errorf("download %s = %q, want %q", h, got, want)
			}
		}
		disp, params, err := mime.ParseMediaType(got.header.Get("Content-Disposition"))
		if err != nil || disp != "inline" || params["filename"] != "Cover Art.png" {
			t.Errorf("Content-Disposition %q parses as %q %v (%v), want inline; filename=Cover Art.png",
				got.header.Get("Content-Disposition"), disp, params, err)
		}
		if u := e.usage(t, ann); u.UsedBytes != int64(len(cover)) || u.Files != 1 || u.ByPurpose[PurposeCover].Files != 1 {
			t.Errorf("usage after one upload: %+v", u)
		}
	})
}

// TestSniffing uploads files whose bytes say one thing and whose names say
// another, and checks that only the bytes decide.
func TestSniffing(t *testing.T) {
	forEachSetup(t, func(t *testing.T, s setup) {
		e := s.newEnv(t)
		ann := e.user(t, "pro")
		utf16 := append([]byte{0xff, 0xfe}, []byte("H\x00i\x00")...)
		badLater := append(text(2000), 0xff, 0xfe, 'x')
		nulLater := append(text(2000), 0, 'x')
		for _, tc := range []struct {
			name, purpose, file string
			data                []byte
			status              int
			media               string
		}{
			{"renamed exe as cover", "cover", "cover.jpg", exeFile(), http.StatusUnsupportedMediaType, ""},
			{"renamed exe as attachment", "attachment", "notes.txt", exeFile(), http.StatusUnsupportedMediaType, ""},
			{"png named .jpg", "cover", "cover.jpg", pngFile(t, 120, 180), http.StatusCreated, MediaPNG},
			{"jpeg cover", "cover", "c", jpegFile(t, 160, 240), http.StatusCreated, MediaJPEG},
			{"webp cover", "cover", "c.webp", webpFile(1600, 2560), http.StatusCreated, MediaWebP},
			{"gif cover", "cover", "c.gif", gifFile(t, 120, 120), http.StatusUnsupportedMediaType, ""},
			{"gif attachment", "attachment", "c.gif", gifFile(t, 20, 20), http.StatusCreated, MediaGIF},
			{"tiny cover", "cover", "c.png", pngFile(t, 10, 10), http.StatusUnsupportedMediaType, ""},
			{"tiny attachment", "attachment", "c.png", pngFile(t, 10, 10), http.StatusCreated, MediaPNG},
			{"image bomb header", "attachment", "bomb.png", pngHeader(100000, 100000), http.StatusUnsupportedMediaType, ""},
			{"damaged png", "cover", "c.png", []byte("\x89PNG\r\n\x1a\n" + strings.Repeat("x", 100)), http.StatusUnsupportedMediaType, ""},
			{"huge webp canvas", "cover", "c.webp", webpFile(20000, 20000), http.StatusUnsupportedMediaType, ""},
			{"pdf attachment", "attachment", "a.bin", pdfFile(), http.StatusCreated, MediaPDF},
			{"pdf cover", "cover", "c.pdf", pdfFile(), http.StatusUnsupportedMediaType, ""},
			{"pdf import", "import", "book.pdf", pdfFile(), http.StatusUnsupportedMediaType, ""},
			{"markdown import", "import", "book.md", text(3000), http.StatusCreated, MediaMarkdown},
			{"fountain import", "import", "play.fountain", []byte("INT. KITCHEN - DAY\n\nMARA\nHello.\n"), http.StatusCreated, MediaFountain},
			{"text import", "import", "book.txt", text(3000), http.StatusCreated, MediaText},
			{"text without extension", "attachment", "README", text(100), http.StatusCreated, MediaText},
			{"html named txt", "attachment", "notes.txt", []byte("<html><script>alert(1)</script></html>"), http.StatusUnsupportedMediaType, ""},
			{"markdown opening with html", "import", "book.md", []byte("<div align=center>\n\n# Book\n"), http.StatusCreated, MediaMarkdown},
			{"utf-16 text", "import", "book.txt", utf16, http.StatusUnsupportedMediaType, ""},
			{"invalid utf-8 past the first 512 bytes", "import", "book.txt", badLater, http.StatusUnsupportedMediaType, ""},
			{"NUL past the first 512 bytes", "import", "book.md", nulLater, http.StatusUnsupportedMediaType, ""},
			{"docx import", "import", "book.zip", docxFile(t), http.StatusCreated, MediaDOCX},
			{"docx attachment", "attachment", "book.docx", docxFile(t), http.StatusUnsupportedMediaType, ""},
			{"odt import", "import", "book.odt", odtFile(t), http.StatusCreated, MediaODT},
			{"epub import", "import", "book.epub", epubFile(t), http.StatusUnsupportedMediaType, ""},
			{"plain zip named docx", "import", "book.docx", zipFile(t, zipEntry{name: "word.txt", body: "hi"}), http.StatusUnsupportedMediaType, ""},
			{"truncated zip", "import", "book.docx", docxFile(t)[:200], http.StatusUnsupportedMediaType, ""},
			{"fdx import", "import", "script.fdx", []byte(fdxFile), http.StatusCreated, MediaFDX},
			{"fdx without declaration", "import", "script.xml", []byte(fdxFile[strings.Index(fdxFile, "<FinalDraft"):]), http.StatusCreated, MediaFDX},
			{"other xml", "import", "script.fdx", []byte(`<?xml version="1.0"?><html><body/></html>`), http.StatusUnsupportedMediaType, ""},
			{"fdx with a doctype", "import", "script.fdx", []byte(`<?xml version="1.0"?><!DOCTYPE FinalDraft [<!ENTITY a "aaaa">]><FinalDraft>&a;</FinalDraft>`), http.StatusUnsupportedMediaType, ""},
			{"empty file", "attachment", "empty.txt", nil, http.StatusBadRequest, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := e.state(t)
				usage := e.usage(t, ann)
				r := e.upload(t, ann, upload{query: "?purpose=" + tc.purpose, name: tc.file, data: tc.data})
				if r.status != tc.status {
					t.Fatalf("upload: %s, want %d", r, tc.status)
				}
				if tc.status != http.StatusCreated {
					if r.env.Error == nil || r.env.Error.Message == "" {
						t.Errorf("refusal without an envelope error: %s", r)
					}
					e.wantState(t, before)
					if got := e.usage(t, ann); got.UsedBytes != usage.UsedBytes {
						t.Errorf("a refused upload changed usage from %d to %d bytes", usage.UsedBytes, got.UsedBytes)
					}
					return
				}
				if v := r.file(t); v.MediaType != tc.media {
					t.Errorf("media type %q, want %q", v.MediaType, tc.media)
				}
			})
		}
	})
}

func TestUploadForm(t *testing.T) {
	e := setup{dialect: "sqlite", backend: "local"}.newEnv(t)
	ann := e.user(t, "free")
	doc := text(1000)
	for _, tc := range []struct {
		name   string
		up     upload
		status int
		field  string
	}{
		{"no purpose", upload{name: "a.txt", data: doc}, http.StatusBadRequest, "purpose"},
		{"purpose after the file", upload{name: "a.txt", data: doc, after: [][2]string{{"purpose", "attachment"}}}, http.StatusBadRequest, "purpose"},
		{"unknown purpose", upload{query: "?purpose=avatar", name: "a.txt", data: doc}, http.StatusBadRequest, "purpose"},
		{"export is not uploadable", upload{fields: [][2]string{{"purpose", "export"}}, name: "a.txt", data: doc}, http.StatusBadRequest, "purpose"},
		{"query and form disagree", upload{query: "?purpose=cover", fields: [][2]string{{"purpose", "import"}}, name: "a.txt", data: doc}, http.StatusBadRequest, "purpose"},
		{"unknown field", upload{query: "?purpose=attachment", fields: [][2]string{{"title", "x"}}, name: "a.txt", data: doc}, http.StatusBadRequest, "title"},
		{"second part after the file", upload{query: "?purpose=attachment", name: "a.txt", data: doc, after: [][2]string{{"note", "x"}}}, http.StatusBadRequest, "file"},
		{"bad story id", upload{query: "?purpose=attachment&story_id=42", name: "a.txt", data: doc}, http.StatusBadRequest, "story_id"},
		{"unknown story", upload{query: "?purpose=attachment&story_id=" + newID(t), name: "a.txt", data: doc}, http.StatusNotFound, "story_id"},
		{"long field", upload{query: "?purpose=attachment", fields: [][2]string{{"story_id", strings.Repeat("x", 300)}}, name: "a.txt", data: doc}, http.StatusBadRequest, "story_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.state(t)
			r := e.upload(t, ann, tc.up)
			if r.status != tc.status || r.env.Error == nil || r.env.Error.Field != tc.field {
				t.Errorf("upload: %s; want %d about field %q", r, tc.status, tc.field)
			}
			e.wantState(t, before)
		})
	}

	t.Run("not multipart", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, e.url+"/api/upload?purpose=attachment", strings.NewReader("hello"))
		req.Header.Set("Authorization", "Bearer "+ann)
		req.Header.Set("Content-Type", "text/plain")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if r := readResponse(t, resp); r.status != http.StatusUnsupportedMediaType || r.code() != "UNSUPPORTED_MEDIA_TYPE" {
			t.Errorf("text/plain body: %s, want 415", r)
		}
	})
	t.Run("query parameters are enough", func(t *testing.T) {
		v := e.mustUpload(t, ann, upload{query: "?purpose=attachment", name: "a.txt", data: doc})
		if v.Purpose != PurposeAttachment {
			t.Errorf("purpose %q", v.Purpose)
		}
	})
}

func TestUnauthenticated(t *testing.T) {
	e := setup{dialect: "sqlite", backend: "local"}.newEnv(t)
	ann := e.user(t, "free")
	v := e.mustUpload(t, ann, upload{query: "?purpose=attachment", name: "a.txt", data: text(100)})
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{http.MethodPost, "/api/upload", http.StatusUnauthorized},
		{http.MethodGet, "/api/files", http.StatusUnauthorized},
		{http.MethodDelete, v.URL, http.StatusUnauthorized},
		{http.MethodGet, "/api/storage/usage", http.StatusUnauthorized},
		// A file may be a public cover, so anonymous reads are answered, with 404
		// for anything not public.
		{http.MethodGet, v.URL, http.StatusNotFound},
		{http.MethodGet, "/api/files/not-a-uuid", http.StatusBadRequest},
	} {
		if r := e.do(t, tc.method, tc.path, "", nil); r.status != tc.status {
			t.Errorf("anonymous %s %s: %s, want %d", tc.method, tc.path, r, tc.status)
		}
	}
	r := e.do(t, http.MethodGet, v.URL, "", map[string]string{"Authorization": "Basic x"})
	if r.status != http.StatusUnauthorized {
		t.Errorf("GET with bad credentials: %s, want 401", r)
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"chapter.docx":                   "chapter.docx",
		"../../etc/passwd":               "passwd",
		`C:\Users\ann\book.md`:           "book.md",
		".hidden":                        "hidden",
		"  spaced  .txt ":                "spaced  .txt",
		"tab\there.txt":                  "tab here.txt",
		"evil\u202Etxt.exe":              "eviltxt.exe",
		"nul\x00byte.txt":                "nulbyte.txt",
		"bad\xffutf8.txt":                "bad_utf8.txt",
		"":                               "file",
		"...":                            "file",
		"été – chapitre 1.md":            "été – chapitre 1.md",
		strings.Repeat("é", 150) + ".md": strings.Repeat("é", 98) + ".md",
	} {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestContentDisposition(t *testing.T) {
	for _, tc := range []struct {
		name, media, want string
	}{
		{"plain.pdf", MediaPDF, `attachment; filename="plain.pdf"; filename*=UTF-8''plain.pdf`},
		{`Été "1"; x.md`, MediaMarkdown, `attachment; filename="_t_ _1__ x.md"; filename*=UTF-8''%C3%89t%C3%A9%20%221%22%3B%20x.md`},
		{"c.png", MediaPNG, `inline; filename="c.png"; filename*=UTF-8''c.png`},
	} {
		f := &File{Name: tc.name, MediaType: tc.media}
		got := ContentDisposition(f)
		if got != tc.want {
			t.Errorf("ContentDisposition(%q) = %s, want %s", tc.name, got, tc.want)
		}
		if _, params, err := mime.ParseMediaType(got); err != nil || params["filename"] != tc.name {
			t.Errorf("mime.ParseMediaType(%s) = %v, %v; want filename %q", got, params, err, tc.name)
		}
	}
}

func TestUTF8Check(t *testing.T) {
	valid := []byte("naïve — 日本語 🎉 text\n")
	invalid := append(append([]byte{}, valid[:10]...), 0xc3, 'x')
	for _, tc := range []struct {
		name string
		data []byte
		ok   bool
	}{
		{"valid", valid, true},
		{"invalid", invalid, false},
		{"truncated at the end", valid[:len(valid)-len("🎉 text\n")+2], false},
		{"NUL", []byte("a\x00b"), false},
		{"lone continuation", []byte{'a', 0x80, 'b'}, false},
	} {
		// Every way of cutting the stream in two must give the same answer.
		for cut := 0; cut <= len(tc.data); cut++ {
			var u utf8Check
			err := u.Write(tc.data[:cut])
			if err == nil {
				err = u.Write(tc.data[cut:])
			}
			if err == nil {
				err = u.Close()
			}
			if (err == nil) != tc.ok {
				t.Errorf("%s cut at %d: error %v, want ok=%t", tc.name, cut, err, tc.ok)
			}
		}
		// And so must byte-at-a-time writes.
		var u utf8Check
		var err error
		for i := 0; i < len(tc.data) && err == nil; i++ {
			err = u.Write(tc.data[i : i+1])
		}
		if err == nil {
			err = u.Close()
		}
		if (err == nil) != tc.ok {
			t.Errorf("%s byte by byte: error %v, want ok=%t", tc.name, err, tc.ok)
		}
	}
}

func TestPutGenerated(t *testing.T) {
	forEachSetup(t, func(t *testing.T, s setup) {
		e := s.newEnv(t)
		ann, bob := e.user(t, "free"), e.user(t, "free")
		story := e.story(t, ann)
		e.collaborate(t, story, bob, "viewer")
		ctx := context.Background()
		epub := epubFile(t)
		f, err := e.svc.PutGenerated(ctx, ann, story, "Salt Roads.epub", MediaEPUB, bytes.NewReader(epub))
		if err != nil {
			t.Fatal(err)
		}
		if f.Purpose != PurposeExport || f.MediaType != MediaEPUB || f.Size != int64(len(epub)) {
			t.Errorf("PutGenerated = %+v", f)
		}
		if u := e.usage(t, ann); u.UsedBytes != 0 || u.ByPurpose[PurposeExport].Bytes != int64(len(epub)) || u.ByPurpose[PurposeExport].Counted {
			t.Errorf("usage with one export: %+v; exports are listed but not counted", u)
		}
		if r := e.do(t, http.MethodGet, Path(f.ID), bob, nil); r.status != http.StatusOK || !bytes.Equal(r.body, epub) {
			t.Errorf("collaborator downloading the export: %s", r)
		}
		if url, err := e.svc.DownloadURL(ctx, f.ID); err != nil || url != Path(f.ID) {
			t.Errorf("DownloadURL = %q, %v; want %q", url, err, Path(f.ID))
		}
		if _, err := e.svc.PutGenerated(ctx, ann, "", "x.pdf", MediaPDF, bytes.NewReader(pdfFile())); err == nil {
			t.Error("PutGenerated without a story succeeded")
		}
		if err := e.svc.Remove(ctx, f.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Remove(ctx, f.ID); err != nil {
			t.Errorf("second Remove = %v, want nil", err)
		}
		e.wantState(t, state{})
	})
}
