# modelpick_embed_data(OUT <generated.cpp> FILES <json>...)
# Generates one .cpp that holds each file as an unsigned char array (a single string
# literal over 64 KiB trips -Wpedantic) and a table mapping file names to bytes.
function(modelpick_embed_data)
  cmake_parse_arguments(ARG "" "OUT" "FILES" ${ARGN})
  add_custom_command(
    OUTPUT ${ARG_OUT}
    COMMAND ${CMAKE_COMMAND} -DOUT=${ARG_OUT} "-DFILES=${ARG_FILES}"
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${ARG_FILES} ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "Embedding catalog data"
    VERBATIM)
endfunction()
