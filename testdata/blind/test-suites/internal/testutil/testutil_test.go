package testutil

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"example.com/testsuites/order"
)

func TestSampleOrdersAreValid(t *testing.T) {
	for _, o := range SampleOrders(12) {
		if err := o.Validate(); err != nil {
			t.Errorf("sample %s invalid: %v", o.ID, err)
		}
	}
}

func TestSampleOrdersUniqueIDs(t *testing.T) {
	seen := map[string]bool{}
	for _, o := range SampleOrders(50) {
		if seen[o.ID] {
			t.Fatalf("duplicate id %s", o.ID)
		}
		seen[o.ID] = true
	}
}

func TestSetenvRestoresPreviousValue(t *testing.T) {
	const key = "TESTUTIL_RESTORE"
	t.Setenv(key, "before")
	func() {
		defer Setenv(t, key, "during")()
		if got := os.Getenv(key); got != "during" {
			t.Fatalf("inside: %s = %q", key, got)
		}
	}()
	if got := os.Getenv(key); got != "before" {
		t.Fatalf("after: %s = %q, want %q", key, got, "before")
	}
}

func TestSetenvUnsetsNewVariable(t *testing.T) {
	const key = "TESTUTIL_FRESH"
	os.Unsetenv(key)
	t.Run("set", func(t *testing.T) {
		t.Cleanup(Setenv(t, key, "x"))
		if os.Getenv(key) != "x" {
			t.Fatal("not set")
		}
	})
	if _, ok := os.LookupEnv(key); ok {
		t.Fatalf("%s still set after the subtest", key)
	}
}

func TestFakeHookRecordsBodies(t *testing.T) {
	hook := NewFakeHook()
	srv := NewServer(t, hook)
	for i := 0; i < 3; i++ {
		resp, err := http.Post(srv.URL, "application/json", strings.NewReader(`{"n":1}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("status = %d", resp.StatusCode)
		}
	}
	if got := hook.Count(); got != 3 {
		t.Fatalf("Count() = %d, want 3", got)
	}
	var v map[string]int
	if err := hook.Decode(2, &v); err != nil || v["n"] != 1 {
		t.Fatalf("Decode(2) = %v, %v", v, err)
	}
	if err := hook.Decode(3, &v); err == nil {
		t.Fatal("Decode past the end succeeded")
	}
}

func TestFakeHookStatus(t *testing.T) {
	t.Parallel()
	for _, code := range []int{http.StatusOK, http.StatusAccepted, http.StatusTooManyRequests, http.StatusBadGateway} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			t.Parallel()
			hook := NewFakeHook()
			hook.SetStatus(code)
			srv := NewServer(t, hook)
			resp, err := srv.Client().Post(srv.URL, "application/json", strings.NewReader("{}"))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != code {
				t.Errorf("status = %d, want %d", resp.StatusCode, code)
			}
		})
	}
}

func TestFakeHookWaitFor(t *testing.T) {
	hook := NewFakeHook()
	srv := NewServer(t, hook)
	var wg sync.WaitGroup
	var failures atomic.Int32
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body, _ := json.Marshal(map[string]int{"i": i})
			resp, err := http.Post(srv.URL, "application/json", strings.NewReader(string(body)))
			if err != nil {
				failures.Add(1)
				return
			}
			resp.Body.Close()
		}()
	}
	if !hook.WaitFor(5, 5*time.Second) {
		t.Errorf("only %d deliveries arrived", hook.Count())
	}
	wg.Wait()
	if n := failures.Load(); n > 0 {
		t.Fatalf("%d posts failed", n)
	}
}

func TestFakeHookWaitForTimesOut(t *testing.T) {
	hook := NewFakeHook()
	start := time.Now()
	if hook.WaitFor(1, 20*time.Millisecond) {
		t.Fatal("WaitFor reported a delivery that never happened")
	}
	if time.Since(start) < 20*time.Millisecond {
		t.Fatal("WaitFor returned before its timeout")
	}
}

func TestWriteFileAndReadFile(t *testing.T) {
	dir := t.TempDir()
	path := WriteFile(t, dir, "nested/a.txt", []byte("hello"))
	if got := string(ReadFile(t, path)); got != "hello" {
		t.Fatalf("ReadFile = %q", got)
	}
}

func TestWriteFixtureRoundTrip(t *testing.T) {
	dir := t.TempDir()
	want := SampleOrder("ada", 2)
	path := WriteFixture(t, dir, "order.json", want)
	var got order.Order
	if err := json.Unmarshal(ReadFile(t, path), &got); err != nil {
		t.Fatal(err)
	}
	if got.Customer != want.Customer || len(got.Items) != 2 {
		t.Fatalf("round trip = %+v", got)
	}
}

func TestEventually(t *testing.T) {
	var n atomic.Int32
	go func() {
		for i := 0; i < 3; i++ {
			time.Sleep(time.Millisecond)
			n.Add(1)
		}
	}()
	Eventually(t, 2*time.Second, func() bool { return n.Load() == 3 })
}

func TestRunAgainstSafeUsesFake(t *testing.T) {
	t.Setenv("ORDERS_HOOK_URL", "")
	called := false
	RunAgainstSafe(t, func(url string) {
		called = true
		if !strings.HasPrefix(url, "http://127.0.0.1:") {
			t.Errorf("url = %q, want a local fake", url)
		}
	})
	if !called {
		t.Fatal("fn was not called")
	}
}
