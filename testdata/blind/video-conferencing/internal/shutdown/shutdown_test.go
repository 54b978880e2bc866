package shutdown

import (
	"context"
	"errors"
	"io"
	"log"
	"strings"
	"testing"
	"time"
)

func TestRunReverseOrder(t *testing.T) {
	g := New(log.New(io.Discard, "", 0))
	var order []string
	for _, name := range []string{"listener", "rooms", "recordings"} {
		name := name
		g.Add(name, func(context.Context) error {
			order = append(order, name)
			return nil
		})
	}
	if err := g.Run(context.Background(), time.Second); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(order, ","); got != "recordings,rooms,listener" {
		t.Fatalf("order = %s", got)
	}
}

func TestRunReportsErrorsAndTimeouts(t *testing.T) {
	g := New(log.New(io.Discard, "", 0))
	g.Add("slow", func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	})
	g.Add("broken", func(context.Context) error { return errors.New("disk gone") })
	err := g.Run(context.Background(), 20*time.Millisecond)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "disk gone") {
		t.Fatalf("got %v", err)
	}
	if err := g.Run(context.Background(), time.Second); err == nil {
		t.Fatal("second Run should fail")
	}
}
