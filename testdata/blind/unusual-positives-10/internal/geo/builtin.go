package geo

var builtin = []Country{
	{"DE", "Germany", "EU"},
	{"FR", "France", "EU"},
	{"JP", "Japan", "AS"},
	{"BR", "Brazil", "SA"},
	{"US", "United States", "NA"},
}

func init() {
	for _, c := range builtin {
		register(c)
	}
}
