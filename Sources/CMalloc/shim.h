// glibc malloc tuning (mallopt) for the annuaire executable: MallocArenas.
#include <malloc.h>
