//go:build linux

package fsutil

import (
	"sync"
	"syscall"
)

// FreeBytes reports the free space of each mount point, querying them
// concurrently (network mounts can be slow to answer).
func FreeBytes(mounts []string) map[string]uint64 {
	var mu sync.Mutex
	free := make(map[string]uint64, len(mounts))
	var wg sync.WaitGroup
	for _, m := range mounts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var st syscall.Statfs_t
			if err := syscall.Statfs(m, &st); err != nil {
				return
			}
			mu.Lock()
			free[m] = st.Bavail * uint64(st.Bsize)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return free
}
