package ineffective

import (
	"fmt"
	"os"
)

// The literal is registered inside a block whose `:=` redeclares err: it wraps the inner err,
// and the named result stays as the return set it.
func openNamed(name string, useFile bool) (size int64, err error) {
	if useFile {
		f, err := os.Open(name)
		if err != nil {
			return 0, err
		}
		defer func() {
			if err != nil {
				err = fmt.Errorf("%s: %v", name, err) // want `but err there is the variable declared on line 12, which shadows the named result err of openNamed: .*give the err declared on line 12 another name`
			}
		}()
		st, err := f.Stat()
		if err != nil {
			return 0, err
		}
		return st.Size(), nil
	}
	return 0, nil
}
