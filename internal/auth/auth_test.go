package auth

import (
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var cheap = PasswordParams{Memory: 1024, Time: 1, Threads: 1}

func TestPasswordRoundTrip(t *testing.T) {
	h, err := HashPassword("correct horse battery staple", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash = %s, want PHC argon2id", h)
	}
	h2, _ := HashPassword("correct horse battery staple", cheap)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
	for pw, want := range map[string]bool{"correct horse battery staple": true, "correct horse battery stapl": false, "": false} {
		got, err := CheckPassword(h, pw)
		if err != nil || got != want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", pw, got, err, want)
		}
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=x$a$b", "$argon2id$v=19$m=8,t=1,p=1$!!$aGFzaA"} {
		if _, err := CheckPassword(bad, "x"); err == nil {
			t.Errorf("CheckPassword accepted malformed hash %q", bad)
		}
	}
}

func TestTokens(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	secret := []byte(strings.Repeat("k", 32))
	tk, err := NewTokens(secret, 15*time.Minute, clock)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewTokens([]byte("short"), time.Minute, nil); err == nil {
		t.Fatal("short secret accepted")
	}
	s, exp, err := tk.Issue("user-1", "sess-1", RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	if !exp.Equal(now.Add(15 * time.Minute)) {
		t.Fatalf("expiry = %s", exp)
	}
	c, err := tk.Verify(s)
	if err != nil || c.Subject != "user-1" || c.SessionID != "sess-1" || c.Role != RoleUser {
		t.Fatalf("Verify = %+v, %v", c, err)
	}

	other, _ := NewTokens([]byte(strings.Repeat("o", 32)), 15*time.Minute, clock)
	forged, _, _ := other.Issue("user-1", "sess-1", RoleAdmin)
	hs512, _ := jwt.NewWithClaims(jwt.SigningMethodHS512, Claims{SessionID: "sess-1", Role: RoleAdmin,
		RegisteredClaims: jwt.RegisteredClaims{Issuer: issuer, Subject: "user-1", Audience: jwt.ClaimStrings{audience},
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))}}).SignedString(secret)
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, Claims{SessionID: "sess-1",
		RegisteredClaims: jwt.RegisteredClaims{Issuer: issuer, Subject: "user-1", Audience: jwt.ClaimStrings{audience},
			ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))}}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	parts := strings.Split(s, ".")
	tampered := parts[0] + "." + parts[1] + "x." + parts[2]

	for name, bad := range map[string]string{
		"wrong key": forged, "HS512": hs512, "alg none": none, "tampered": tampered, "garbage": "abc", "empty": "",
	} {
		if _, err := tk.Verify(bad); err == nil {
			t.Errorf("%s token verified", name)
		}
	}
	later, _ := NewTokens(secret, 15*time.Minute, func() time.Time { return now.Add(16 * time.Minute) })
	if _, err := later.Verify(s); err == nil {
		t.Error("expired token verified")
	}
}
