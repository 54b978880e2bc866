package status

import (
	"encoding/json"
	"os"
)

// AppendEvent appends e as one JSON line to the audit file at path.
func AppendEvent(path string, e Event) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	return json.NewEncoder(f).Encode(e)
}
