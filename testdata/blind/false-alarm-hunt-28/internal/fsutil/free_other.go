//go:build !linux

package fsutil

// FreeBytes is not implemented outside Linux; callers treat a missing entry
// as "unknown".
func FreeBytes(mounts []string) map[string]uint64 {
	return make(map[string]uint64, len(mounts))
}
