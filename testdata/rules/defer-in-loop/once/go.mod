module example.com/deferinloop/once

go 1.22
