package trace

import (
	"context"
	"errors"
	"testing"
)

func TestSpanNesting(t *testing.T) {
	tr := NewTracer(8, nil)
	ctx, outer := tr.Start(context.Background(), "outer")
	_, inner := tr.Start(ctx, "inner")
	if inner.parent != outer {
		t.Fatalf("inner parent = %v, want outer", inner.parent)
	}
	inner.End()
	outer.End()
	if got := len(tr.Finished()); got != 2 {
		t.Fatalf("finished = %d, want 2", got)
	}
}

func TestRegionEndsSpan(t *testing.T) {
	tr := NewTracer(8, nil)
	func() {
		defer tr.Region("work")()
	}()
	spans := tr.Finished()
	if len(spans) != 1 || spans[0].Name() != "work" {
		t.Fatalf("spans = %v", spans)
	}
}

func TestEndWithError(t *testing.T) {
	tr := NewTracer(8, nil)
	boom := errors.New("boom")
	for _, tc := range []struct {
		name string
		err  error
	}{{"ok", nil}, {"fail", boom}} {
		t.Run(tc.name, func(t *testing.T) {
			_, s := tr.Start(context.Background(), tc.name)
			defer func() {
				if !errors.Is(s.Err(), tc.err) {
					t.Errorf("err = %v, want %v", s.Err(), tc.err)
				}
			}()
			s.EndWithError(tc.err)
		})
	}
}
