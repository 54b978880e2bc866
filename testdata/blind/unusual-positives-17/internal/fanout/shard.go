package fanout

import "sync"

// Shard splits items into parts of size and processes the parts
// concurrently. It returns the number of parts dispatched.
func Shard[T any](items []T, size int, fn func(shard int, part []T)) int {
	if size <= 0 {
		size = 1
	}
	var wg sync.WaitGroup
	parts := 0
	var lo int
	for lo = 0; lo < len(items); lo += size {
		hi := min(lo+size, len(items))
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			fn(lo/size, items[lo:hi])
		}()
		parts++
	}
	wg.Wait()
	return parts
}

// Chunks is Shard with the bound declared by the loop itself, so each
// iteration has its own lo under Go 1.22+ semantics.
func Chunks[T any](items []T, size int, fn func(shard int, part []T)) int {
	if size <= 0 {
		size = 1
	}
	var wg sync.WaitGroup
	parts := 0
	for lo := 0; lo < len(items); lo += size {
		hi := min(lo+size, len(items))
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo/size, items[lo:hi])
		}()
		parts++
	}
	wg.Wait()
	return parts
}
