package ai

import (
	"context"
	"errors"
	"strings"
	"testing"
)

var offlineRequest = Request{
	System: []Block{
		{Text: "You are a novelist.", Cache: true},
		{Text: "Character: Mara, Tobias\nSetting: Harrow Bay\nBeats: Mara finds the letter; Tobias lies about the boat"},
	},
	Messages:  []Message{{Role: "user", Text: "Write the opening scene."}},
	MaxTokens: 2000,
}

func streamOffline(t *testing.T, req Request) (*Result, []string) {
	t.Helper()
	var deltas []string
	res, err := NewOffline().Stream(context.Background(), req, func(s string) error {
		deltas = append(deltas, s)
		return nil
	})
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	return res, deltas
}

func TestOfflineDeterministic(t *testing.T) {
	a, _ := streamOffline(t, offlineRequest)
	b, _ := streamOffline(t, offlineRequest)
	if a.Text != b.Text {
		t.Errorf("same request gave different text:\n%s\n---\n%s", a.Text, b.Text)
	}
	other := offlineRequest
	other.Messages = []Message{{Role: "user", Text: "Write the closing scene."}}
	c, _ := streamOffline(t, other)
	if c.Text == a.Text {
		t.Errorf("different requests gave the same text:\n%s", a.Text)
	}
}

func TestOfflineUsesPrompt(t *testing.T) {
	res, _ := streamOffline(t, offlineRequest)
	for _, name := range []string{"Mara", "Tobias"} {
		if !strings.Contains(res.Text, name) {
			t.Errorf("text does not mention %s:\n%s", name, res.Text)
		}
	}
	if !strings.HasPrefix(res.Text, "Offline draft") {
		t.Errorf("text starts %q, want it to say it is an offline draft", res.Text[:min(40, len(res.Text))])
	}
}

func TestOfflineCapitalisedFallback(t *testing.T) {
	req := Request{Messages: []Message{{Role: "user", Text: "Continue the scene where Ilse meets Corwin at the mill."}}, MaxTokens: 2000}
	res, _ := streamOffline(t, req)
	if !strings.Contains(res.Text, "Ilse") && !strings.Contains(res.Text, "Corwin") {
		t.Errorf("text mentions neither Ilse nor Corwin:\n%s", res.Text)
	}
}

// Headings, labels and words at the start of a sentence are not names, nor is a
// capitalised word the prompt also writes in lower case.
func TestOfflineCapitalisedSkipsLabelsAndSentenceStarts(t *testing.T) {
	prompt := "Title: The Harbour\nKind: novel\nRequest: continue\nNever name the narrator. Keep it quiet.\n" +
		"Chapter 1: Fog\nThe harbour lay quiet. Later Ilse rowed out to meet Corwin by the Mill."
	got := offlineCapitalised(prompt)
	want := []string{"Ilse", "Corwin", "Mill"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("names = %q, want %q", got, want)
	}
}

func TestOfflineResult(t *testing.T) {
	res, deltas := streamOffline(t, offlineRequest)
	if got := strings.Join(deltas, ""); got != res.Text {
		t.Errorf("deltas join to\n%q\nwant Result.Text\n%q", got, res.Text)
	}
	if len(deltas) < 10 {
		t.Errorf("got %d deltas, want one per word", len(deltas))
	}
	if res.Provider != "offline" || res.Model != "offline-1" || res.StopReason != "end_turn" || res.Partial {
		t.Errorf("result = %+v, want provider offline, model offline-1, stop end_turn, complete", *res)
	}
	if res.Usage.OutputTokens != len(res.Text)/4 || res.Usage.InputTokens == 0 {
		t.Errorf("usage = %+v, want output %d and some input", res.Usage, len(res.Text)/4)
	}
}

func TestOfflineMaxTokens(t *testing.T) {
	for _, maxTokens := range []int{1, 8, 20, 60} {
		req := offlineRequest
		req.MaxTokens = maxTokens
		res, _ := streamOffline(t, req)
		words := len(strings.Fields(res.Text))
		if words == 0 || float64(words) > max(1, float64(maxTokens)*0.75) {
			t.Errorf("MaxTokens %d: %d words, want 1..%v", maxTokens, words, float64(maxTokens)*0.75)
		}
		if maxTokens > 1 && res.Usage.OutputTokens > maxTokens {
			t.Errorf("MaxTokens %d: usage says %d output tokens", maxTokens, res.Usage.OutputTokens)
		}
		if res.StopReason != "max_tokens" {
			t.Errorf("MaxTokens %d: stop reason %q, want max_tokens", maxTokens, res.StopReason)
		}
	}
}

func TestOfflineAbort(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	res, err := NewOffline().Stream(context.Background(), offlineRequest, func(string) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || res == nil || !res.Partial || len(strings.Fields(res.Text)) != 3 {
		t.Errorf("got %+v, %v; want partial 3 words and %v", res, err, stop)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err = NewOffline().Stream(ctx, offlineRequest, func(string) error { return nil })
	if !errors.Is(err, ErrIncomplete) || !errors.Is(err, context.Canceled) || res == nil || !res.Partial {
		t.Errorf("cancelled: got %+v, %v; want partial with ErrIncomplete", res, err)
	}
}

func TestOfflineFacts(t *testing.T) {
	tests := []struct {
		name   string
		prompt string
		want   offlineFactSet
	}{
		{
			name:   "labelled lines",
			prompt: "Characters: Mara and Tobias\nLocation: Harrow Bay\nBeats: the letter. the boat",
			want:   offlineFactSet{names: []string{"Mara", "Tobias"}, places: []string{"Harrow Bay"}, beats: []string{"the letter", "the boat"}},
		},
		{
			name:   "bulleted lists",
			prompt: "Cast:\n- Ilse\n* Corwin\n\nOutline:\n1. the mill burns\n2) Ilse runs\nNote: ignored",
			want:   offlineFactSet{names: []string{"Ilse", "Corwin"}, beats: []string{"the mill burns", "Ilse runs"}},
		},
		{
			name:   "capitalised words",
			prompt: "Write the scene where Ilse meets Corwin. The NPC said hi.",
			want:   offlineFactSet{names: []string{"Ilse", "Corwin"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := offlineFacts(tt.prompt)
			if strings.Join(got.names, "|") != strings.Join(tt.want.names, "|") ||
				strings.Join(got.places, "|") != strings.Join(tt.want.places, "|") ||
				strings.Join(got.beats, "|") != strings.Join(tt.want.beats, "|") {
				t.Errorf("offlineFacts:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestOfflineWritesFountainForScripts(t *testing.T) {
	res, _ := streamOffline(t, Request{
		System:   []Block{{Text: "Write in Fountain screenplay format: scene headings in capitals."}},
		Messages: []Message{{Role: "user", Text: "Setting: INT. HARBOUR OFFICE - NIGHT\nCharacters: Mara, Jon\nBeats: the deal goes wrong"}},
	})
	if !strings.HasPrefix(res.Text, "INT. HARBOUR OFFICE - NIGHT\n\n") {
		t.Errorf("script does not open with its scene heading:\n%s", res.Text)
	}
	if !strings.Contains(res.Text, "\n\nJON\n") && !strings.Contains(res.Text, "\n\nMARA\n") {
		t.Errorf("script has no character cue:\n%s", res.Text)
	}
}
