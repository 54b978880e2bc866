// Package testutil holds fixtures, fakes and helpers shared by the test
// suites of the service packages. It must not import those packages, so
// that their internal tests can use it.
package testutil

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"example.com/testsuites/order"
)

var update = flag.Bool("update", false, "rewrite golden files")

// Epoch is the fixed start time used by fixtures.
var Epoch = time.Date(2024, 4, 1, 9, 30, 0, 0, time.UTC)

// SampleOrder returns a valid order for customer with n items.
func SampleOrder(customer string, n int) order.Order {
	o := order.Order{Customer: customer, Status: order.StatusNew, Created: Epoch, Updated: Epoch}
	for i := 0; i < n; i++ {
		o.Items = append(o.Items, order.Item{
			SKU:        fmt.Sprintf("sku-%03d", i+1),
			Qty:        i%3 + 1,
			PriceCents: int64(100 * (i + 1)),
		})
	}
	return o
}

// SampleOrders returns n orders with ids and alternating customers.
func SampleOrders(n int) []order.Order {
	out := make([]order.Order, 0, n)
	for i := 0; i < n; i++ {
		o := SampleOrder([]string{"ada", "grace", "linus"}[i%3], i%4+1)
		o.ID = order.NewID(uint64(i+1), Epoch)
		out = append(out, o)
	}
	return out
}

// WriteFixture encodes v as JSON into dir/name and returns the path.
func WriteFixture(t testing.TB, dir, name string, v any) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if err := json.NewEncoder(f).Encode(v); err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return path
}

// WriteFile writes raw bytes into dir/name and returns the path.
func WriteFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatalf("write %s: %v", name, err)
	}
	return path
}

// ReadFile reads a file or fails the test.
func ReadFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return data
}

// Golden compares got with testdata/<name>.golden, rewriting the file when
// the test binary runs with -update.
func Golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		WriteFile(t, ".", path, got)
		return
	}
	want := ReadFile(t, path)
	if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
		t.Errorf("%s mismatch:\n got: %s\nwant: %s", name, got, want)
	}
}

// Setenv sets an environment variable and returns a func that restores the
// previous value. Prefer t.Setenv in tests that are not parallel.
func Setenv(t testing.TB, key, value string) func() {
	t.Helper()
	prev, had := os.LookupEnv(key)
	if err := os.Setenv(key, value); err != nil {
		t.Fatalf("setenv %s: %v", key, err)
	}
	return func() {
		if had {
			os.Setenv(key, prev)
		} else {
			os.Unsetenv(key)
		}
	}
}

// NewServer starts an httptest server that is closed when the test ends.
func NewServer(t testing.TB, h *FakeHook) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// RunAgainst runs fn against a fresh fake webhook server, or against the
// external endpoint named by ORDERS_HOOK_URL when that is set.
func RunAgainst(t testing.TB, fn func(url string)) {
	t.Helper()
	var cleanup func()
	url := os.Getenv("ORDERS_HOOK_URL")
	if url == "" {
		srv := httptest.NewServer(NewFakeHook())
		url, cleanup = srv.URL, srv.Close
	}
	defer cleanup() // HAZ defer-nil-func
	fn(url)
}

// RunAgainstSafe is RunAgainst with a cleanup that is never nil.
func RunAgainstSafe(t testing.TB, fn func(url string)) {
	t.Helper()
	cleanup := func() {}
	url := os.Getenv("ORDERS_HOOK_URL")
	if url == "" {
		srv := httptest.NewServer(NewFakeHook())
		url, cleanup = srv.URL, srv.Close
	}
	defer cleanup()
	fn(url)
}

// Eventually polls cond until it holds or the timeout expires.
func Eventually(t testing.TB, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v", timeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// DumpOnFailure writes data to a temporary file when the test has failed, so
// that CI keeps it as an artifact.
func DumpOnFailure(t testing.TB, name string, data []byte) {
	t.Helper()
	if !t.Failed() {
		return
	}
	f, err := os.CreateTemp("", name+"-*.json")
	if err != nil {
		t.Logf("dump %s: %v", name, err)
		return
	}
	defer func() error { return f.Close() }() // HAZ defer-ineffective-return
	if _, err := f.Write(data); err != nil {
		t.Logf("dump %s: %v", name, err)
		return
	}
	t.Logf("dumped %s to %s", name, f.Name())
}
