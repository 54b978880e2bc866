package watch_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"example.com/falsealarm9/testutil"
	"example.com/falsealarm9/watch"
)

func TestReloadNotifiesAfterUnlock(t *testing.T) {
	path := testutil.TempFile(t, "app.env", "A=1\nB=2\n")
	w := watch.New(path, time.Hour, t.Logf)
	got := make(chan watch.Config, 1)
	cancel := w.OnChange(func(c watch.Config) {
		_ = w.Current() // must not deadlock: callbacks run without the lock
		got <- c
	})
	defer cancel()
	if changed, err := w.Reload(); err != nil || !changed {
		t.Fatalf("Reload = %v, %v", changed, err)
	}
	if c := testutil.Recv(t, got, time.Second); c["B"] != "2" {
		t.Fatalf("config = %v", c)
	}
}

func TestOnChangeContextUnregisters(t *testing.T) {
	path := testutil.TempFile(t, "app.env", "A=1\n")
	w := watch.New(path, time.Hour, nil)
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	stop := w.OnChangeContext(ctx, func(watch.Config) { calls++ })
	defer stop()
	cancel()
	testutil.Eventually(t, time.Second, func() bool {
		_, err := w.Reload()
		return err == nil
	})
	if calls > 1 {
		t.Fatalf("calls = %d", calls)
	}
}

func TestValidatorRejects(t *testing.T) {
	path := testutil.TempFile(t, "app.env", "PORT=\n")
	w := watch.New(path, time.Hour, nil, func(c watch.Config) error {
		if c["PORT"] == "" {
			return errors.New("PORT is required")
		}
		return nil
	})
	if _, err := w.Reload(); err == nil {
		t.Fatal("want validation error")
	}
}
