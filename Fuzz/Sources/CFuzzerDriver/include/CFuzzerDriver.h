#ifndef CFUZZERDRIVER_H
#define CFUZZERDRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver, exported by the sanitizer runtime (libclang_rt.fuzzer)
/// linked in by -sanitize=fuzzer: what libFuzzer's own main() calls.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));

#endif
