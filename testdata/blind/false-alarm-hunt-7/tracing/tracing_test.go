package tracing

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRegionEndsSpan(t *testing.T) {
	rec := NewRecorder(0)
	tr := NewTracer(rec)
	func() {
		defer tr.Region(context.Background(), "outer")()
	}()
	if got := strings.Join(rec.Names(), ","); got != "outer" {
		t.Fatalf("names = %q", got)
	}
}

func TestTracedRecordsFinalError(t *testing.T) {
	rec := NewRecorder(0)
	tr := NewTracer(rec)
	boom := errors.New("boom")
	fn := tr.Traced("op", func(context.Context) error { return boom })
	if err := fn(context.Background()); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	spans := rec.Spans()
	if len(spans) != 1 || spans[0].Err != "boom" {
		t.Fatalf("spans = %+v", spans)
	}
}

func TestChildSharesTrace(t *testing.T) {
	tr := NewTracer(nil)
	ctx, parent := tr.Start(context.Background(), "parent")
	defer parent.End()
	_, child := tr.Start(ctx, "child")
	defer child.End()
	if child.data.TraceID != parent.data.TraceID || child.data.ParentID != parent.data.SpanID {
		t.Fatal("child not linked to parent")
	}
}

func TestBatchExporterFlushesOnShutdown(t *testing.T) {
	got := make(chan int, 4)
	b := NewBatchExporter(func(batch []SpanData) error {
		got <- len(batch)
		return nil
	}, 10, time.Hour)
	for range 3 {
		if err := b.Export(SpanData{Name: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := b.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if n := <-got; n != 3 {
		t.Fatalf("batch = %d", n)
	}
	if err := b.Export(SpanData{}); !errors.Is(err, ErrShutdown) {
		t.Fatalf("err = %v", err)
	}
}

func TestMeasure(t *testing.T) {
	var name string
	func() {
		defer Measure("phase", func(n string, _ time.Duration) { name = n })()
	}()
	if name != "phase" {
		t.Fatalf("name = %q", name)
	}
}
