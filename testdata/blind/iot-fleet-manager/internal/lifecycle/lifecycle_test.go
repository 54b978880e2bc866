package lifecycle

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestShutdownRunsHooksInReverse(t *testing.T) {
	g := NewGroup(nil)
	var order []string
	g.Add("db", time.Second, func(context.Context) error { order = append(order, "db"); return nil })
	g.Add("http", time.Second, func(context.Context) error { order = append(order, "http"); return nil })
	if err := g.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if strings.Join(order, ",") != "http,db" {
		t.Fatalf("order = %v", order)
	}
}

func TestShutdownReportsSlowHook(t *testing.T) {
	g := NewGroup(nil)
	g.Add("stuck", 10*time.Millisecond, func(ctx context.Context) error {
		<-ctx.Done()
		time.Sleep(20 * time.Millisecond)
		return nil
	})
	err := g.Shutdown(context.Background())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}
