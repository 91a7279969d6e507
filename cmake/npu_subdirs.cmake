# npu_optional_subdirs(a b ...): add each listed subdirectory that exists, so
# parts of the tree can land independently.
function(npu_optional_subdirs)
  foreach(d ${ARGN})
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${d}/CMakeLists.txt)
      add_subdirectory(${d})
    endif()
  endforeach()
endfunction()
