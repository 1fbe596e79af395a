# Script mode (cmake -P): runs BIN to write the man page and completion scripts into OUT_DIR.
foreach(pair "manpage;modelpick.1" "completion;bash;modelpick.bash" "completion;zsh;_modelpick")
  list(POP_BACK pair file)
  execute_process(COMMAND ${BIN} ${pair} OUTPUT_FILE ${OUT_DIR}/${file} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "modelpick ${pair} failed (${rc})")
  endif()
endforeach()
