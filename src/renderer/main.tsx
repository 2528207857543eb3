import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { TaskFeedProvider } from './features/tasks/task-feed-context';
import { createTaskFeed } from './features/tasks/task-feed';
import { createQueryClient } from './query-client';
import './styles/index.css';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element.');

const queryClient = createQueryClient();
const taskFeed = createTaskFeed();

createRoot(container).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TaskFeedProvider feed={taskFeed}>
        <App />
      </TaskFeedProvider>
    </QueryClientProvider>
  </StrictMode>,
);
