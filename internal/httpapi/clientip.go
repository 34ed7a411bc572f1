package httpapi

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

type peerKey struct{}

// Peer describes where a request came from.
type Peer struct {
	// IP is the client's address: the direct peer, or the address a trusted proxy
	// forwarded in X-Forwarded-For.
	IP string
	// ViaTrustedProxy reports whether the direct peer is one of the trusted proxies.
	ViaTrustedProxy bool
}

// RealIP works out each request's client address. X-Forwarded-For is believed only
// when the direct peer is in trusted; the rightmost address not itself trusted wins.
func RealIP(trusted []netip.Prefix) Middleware {
	isTrusted := func(a netip.Addr) bool {
		for _, p := range trusted {
			if p.Contains(a.Unmap()) {
				return true
			}
		}
		return false
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			host, _, err := net.SplitHostPort(r.RemoteAddr)
			if err != nil {
				host = r.RemoteAddr
			}
			p := Peer{IP: host}
			if a, err := netip.ParseAddr(host); err == nil && isTrusted(a) {
				p.ViaTrustedProxy = true
				hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
				for i := len(hops) - 1; i >= 0; i-- {
					h := strings.TrimSpace(hops[i])
					ha, err := netip.ParseAddr(h)
					if err != nil {
						break
					}
					p.IP = ha.Unmap().String()
					if !isTrusted(ha) {
						break
					}
				}
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), peerKey{}, p)))
		})
	}
}

// PeerOf returns the request's peer as worked out by RealIP.
func PeerOf(ctx context.Context) Peer {
	p, _ := ctx.Value(peerKey{}).(Peer)
	return p
}
