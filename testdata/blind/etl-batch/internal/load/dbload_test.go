package load

import (
	"context"
	"testing"

	"example.com/etl/internal/record"
	"example.com/etl/internal/store"
)

func TestLoadInBatches(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open("mem://" + t.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	l := &DBLoader{DB: db, Table: "events", Schema: record.Schema{"id"}, BatchSize: 2}
	if err := l.EnsureTable(ctx); err != nil {
		t.Fatal(err)
	}
	recs := []record.Record{{"id": "1"}, {"id": "2"}, {"id": "3"}}
	if err := l.Load(ctx, recs); err != nil {
		t.Fatal(err)
	}
	if n, err := db.Count("events"); err != nil || n != 3 {
		t.Fatalf("Count = %d, %v", n, err)
	}
}
