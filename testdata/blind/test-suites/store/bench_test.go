package store_test

import (
	"io"
	"testing"

	"example.com/testsuites/clock"
	"example.com/testsuites/internal/testutil"
	"example.com/testsuites/store"
)

func BenchmarkMemoryGet(b *testing.B) {
	m := store.NewMemory(clock.NewFake(testutil.Epoch))
	orders := testutil.SampleOrders(1000)
	m.Restore(orders)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Get(orders[i%len(orders)].ID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMemoryCreateParallel(b *testing.B) {
	m := store.NewMemory(clock.NewFake(testutil.Epoch))
	o := testutil.SampleOrder("bench", 3)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := m.Create(o); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkExportCSV(b *testing.B) {
	orders := testutil.SampleOrders(500)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := store.ExportCSV(io.Discard, orders); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFileStoreSave(b *testing.B) {
	fs, err := store.OpenFileStore(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	orders := testutil.SampleOrders(64)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := fs.Save(orders[i%len(orders)]); err != nil {
			b.Fatal(err)
		}
	}
}
