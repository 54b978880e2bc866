package ota

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestDownloadVerified(t *testing.T) {
	image := []byte("FWIM\x053.1.0 payload")
	sum := sha256.Sum256(image)
	want := hex.EncodeToString(sum[:])
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/manifest.json":
			json.NewEncoder(w).Encode(Manifest{Release: "3.1", Images: map[string]string{"gw.bin": want}})
		case "/images/gw.bin":
			w.Write(image)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	m := NewMirror(srv.URL, t.TempDir(), nil, nil)
	n, err := m.SyncRelease(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("mirrored %d images, want 1", n)
	}
	if err := m.Verify("gw.bin", want); err != nil {
		t.Fatal(err)
	}
}
