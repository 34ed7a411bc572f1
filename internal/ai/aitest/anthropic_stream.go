package aitest

import (
	"encoding/json"
	"net/http"
)

// sseEvent frames one event the way the Messages API does: an event line, a data
// line whose JSON type equals the event name, and a blank line.
func sseEvent(name string, fields map[string]any) string {
	if fields == nil {
		fields = map[string]any{}
	}
	fields["type"] = name
	data, err := json.Marshal(fields)
	if err != nil {
		panic("aitest: marshal event: " + err.Error()) // only our own maps get here
	}
	return "event: " + name + "\ndata: " + string(data) + "\n\n"
}

// stream answers a valid request: message_start with the cache accounting, a
// ping, optional thinking, the text in deltas, message_delta with cumulative
// usage and message_stop, breaking off where the fault says.
func (f *Anthropic) stream(w http.ResponseWriter, r *http.Request, req ParsedRequest, segs []segment, fault Fault) {
	ctx := r.Context()
	u := f.cache.account(segs, f.c.now())
	var think plan
	if f.thinking {
		think = makePlan(thinkingText, req.MaxTokens, nil)
	}
	text := plan{stopReason: "max_tokens"}
	if think.stopReason != "max_tokens" {
		text = makePlan(f.c.replyText(req), req.MaxTokens-think.tokens, req.StopSequences)
	}

	id := requestID("req", req.N)
	f.rateLimitHeaders(w.Header(), false, 0)
	w.Header().Set("request-id", id)
	s := f.c.newStream(w, r, req.N)
	f.c.setStatus(req.N, http.StatusOK)
	f.c.addStats(func(st *Stats) {
		st.InputTokens += u.input
		st.CacheReadTokens += u.read
		st.CacheWriteTokens += u.write
		st.CacheWrite1hTokens += u.write1h
	})
	usage := func(output int) map[string]any {
		return map[string]any{
			"input_tokens":                u.input,
			"cache_creation_input_tokens": u.write,
			"cache_read_input_tokens":     u.read,
			"cache_creation": map[string]any{
				"ephemeral_5m_input_tokens": u.write - u.write1h,
				"ephemeral_1h_input_tokens": u.write1h,
			},
			"output_tokens": output,
		}
	}
	send := func(name string, fields map[string]any) bool { return s.write(sseEvent(name, fields)) }

	ok := send("message_start", map[string]any{"message": map[string]any{
		"id": requestID("msg", req.N), "type": "message", "role": "assistant", "model": req.Model,
		"content": []any{}, "stop_reason": nil, "stop_sequence": nil, "usage": usage(1),
	}}) && send("ping", nil)
	if ok && f.unknownEvent {
		ok = send("aitest_unknown_event", map[string]any{"note": "clients must ignore unknown events"})
	}
	if !ok || !f.c.wait(ctx, f.c.firstTokenDelay, false) {
		return
	}

	index := 0
	if f.thinking {
		ok = send("content_block_start", map[string]any{"index": 0, "content_block": map[string]any{"type": "thinking", "thinking": "", "signature": ""}}) &&
			f.c.sendDeltas(ctx, think.deltas, Fault{}, func(d string) bool {
				return send("content_block_delta", map[string]any{"index": 0, "delta": map[string]any{"type": "thinking_delta", "thinking": d}})
			}, nil) &&
			send("content_block_delta", map[string]any{"index": 0, "delta": map[string]any{"type": "signature_delta", "signature": "YWl0ZXN0LXNpZ25hdHVyZQ=="}}) &&
			send("content_block_stop", map[string]any{"index": 0})
		if !ok {
			return
		}
		index = 1
	}
	ok = send("content_block_start", map[string]any{"index": index, "content_block": map[string]any{"type": "text", "text": ""}}) &&
		f.c.sendDeltas(ctx, text.deltas, fault, func(d string) bool {
			return send("content_block_delta", map[string]any{"index": index, "delta": map[string]any{"type": "text_delta", "text": d}})
		}, func() {
			typ, msg := fault.errorText("overloaded_error", "Overloaded")
			send("error", map[string]any{"error": map[string]any{"type": typ, "message": msg}, "request_id": id})
		})
	if !ok {
		return
	}

	var stopSeq any
	if text.stopSequence != "" {
		stopSeq = text.stopSequence
	}
	_ = send("content_block_stop", map[string]any{"index": index}) &&
		send("message_delta", map[string]any{
			"delta": map[string]any{"stop_reason": text.stopReason, "stop_sequence": stopSeq},
			"usage": usage(think.tokens + text.tokens),
		}) &&
		send("message_stop", nil)
}
