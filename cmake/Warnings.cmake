# Warnings for our own targets only (linked PRIVATE), never for third-party headers.
add_library(modelpick_warnings INTERFACE)
target_compile_options(modelpick_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                                    -Wno-sign-conversion)
if(MODELPICK_WERROR)
  target_compile_options(modelpick_warnings INTERFACE -Werror)
endif()
