package dryrun

import (
	"bytes"
	"strings"
	"testing"

	"example.com/migrator/migrate"
)

func TestWritePlanListsStatements(t *testing.T) {
	migs := []migrate.Migration{{
		Version: 7,
		Name:    "add_index",
		UpSQL:   "CREATE INDEX users_email ON users (email);\nANALYZE users;\n",
	}}
	var buf bytes.Buffer
	if err := WritePlan(&buf, migs, migrate.Up); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"-- [1] version 7", "CREATE INDEX users_email ON users (email);", "-- [2] version 7"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out)
		}
	}
}
